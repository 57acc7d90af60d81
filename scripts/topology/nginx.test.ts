import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPLOY_NGINX_CONF, renderNginxConfig } from './nginx.js';

const template = readFileSync(DEPLOY_NGINX_CONF, 'utf8');
const site = { listen: '127.0.0.1:8080', upstreams: ['127.0.0.1:41001', '127.0.0.1:41002', '127.0.0.1:41003'], prefix: '/tmp/ch-nginx' };

describe('the topology nginx configuration', () => {
  it("is the deploy file with only this machine's upstreams, listen address and folders rewritten", () => {
    const rendered = renderNginxConfig(template, site);
    const upstream = /upstream concert_web \{([^}]*)\}/.exec(rendered)![1]!;
    expect(upstream.match(/^\s*server .*$/gm)!.map((line) => line.trim())).toEqual(
      site.upstreams.map((address) => `server ${address} max_fails=3 fail_timeout=10s;`),
    );
    expect(upstream).toMatch(/least_conn;/);
    expect(rendered).toMatch(/^\s*listen 127\.0\.0\.1:8080;$/m);
    expect(rendered).toContain('proxy_temp_path /tmp/ch-nginx/temp/proxy;');
    expect(rendered).toMatch(/^\s*access_log \/tmp\/ch-nginx\/access\.log main;$/m);
    // Every other line of the deploy file is there as it is: balancing, headers, SSE, limits, gzip.
    const kept = template.split('\n').filter((line) => !/^\s*server web-\d+:|^\s*listen 80;$|^\s*access_log \/dev\/stdout/.test(line));
    const renderedLines = new Set(rendered.split('\n'));
    expect(kept.filter((line) => !renderedLines.has(line))).toEqual([]);
  });

  it('refuses a deploy file it cannot point at the web servers', () => {
    expect(() => renderNginxConfig(template.replace(/server web-\d+:3000[^\n]*\n/g, ''), site)).toThrow(/no "server" lines/);
    expect(() => renderNginxConfig(template.replace('listen 80;', 'listen 443 ssl;'), site)).toThrow(/listen 80/);
  });
});
