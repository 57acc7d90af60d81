/**
 * `npm run topology` puts real nginx in front of its web servers, with the very
 * configuration deployments use (deploy/nginx/nginx.conf), so that file is tested
 * by use. Only what differs on one machine is rewritten: the upstream servers (the
 * web servers' ports instead of web-1..3:3000), the address nginx listens on, and
 * the files nginx writes (a prefix of its own instead of /var/lib/nginx, and an
 * access log file the topology follows, since nginx cannot open /dev/stdout when it
 * is a socket). Every other line (balancing, forwarded headers, SSE, limits, gzip)
 * is the deploy file's.
 */
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const DEPLOY_NGINX_CONF = 'deploy/nginx/nginx.conf';

export interface NginxSite {
  /** `127.0.0.1:8080` */
  listen: string;
  /** The web servers, `host:port` each. */
  upstreams: readonly string[];
  /** nginx's own folder: temporary files, pid. */
  prefix: string;
}

/** The deploy file with the upstreams, the listen address and the writable folders of this machine. */
export function renderNginxConfig(template: string, { listen, upstreams, prefix }: NginxSite): string {
  const upstream = /(upstream concert_web \{\s*\n(?:\s*(?:#[^\n]*|least_conn;)\n)*)((?:\s*server [^\n]*\n)+)/;
  const servers = upstream.exec(template);
  if (!servers) throw new Error(`${DEPLOY_NGINX_CONF}: no "server" lines in "upstream concert_web" to point at the web servers`);
  const options = /server \S+ ([^;]*);/.exec(servers[2]!)?.[1] ?? '';
  const indent = /^\s*/.exec(servers[2]!.replace(/^\n/, ''))![0];
  const rendered = template
    .replace(upstream, (_, head: string) => head + upstreams.map((address) => `${indent}server ${address} ${options};\n`).join(''))
    .replace(/^(\s*)listen 80;$/m, (_, space: string) => `${space}listen ${listen};`)
    .replace(/^(\s*)access_log \/dev\/stdout (\w+);$/m, (_, space: string, format: string) => `${space}access_log ${accessLogOf(prefix)} ${format};`)
    .replace(/^http \{$/m, `http {\n${temporaryPaths(prefix)}`);
  if (!rendered.includes(`listen ${listen};`)) throw new Error(`${DEPLOY_NGINX_CONF}: no "listen 80;" to replace`);
  return rendered;
}

export const accessLogOf = (prefix: string) => join(prefix, 'access.log');

function temporaryPaths(prefix: string): string {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(prefix, 'temp', kind)};\n`).join('');
}

/** Writes the rendered configuration into `prefix` and returns nginx's command line to run it in the foreground. */
export async function prepareNginx(nginx: string, site: NginxSite, template = DEPLOY_NGINX_CONF) {
  await mkdir(join(site.prefix, 'temp'), { recursive: true });
  const conf = join(site.prefix, 'nginx.conf');
  await writeFile(conf, renderNginxConfig(await readFile(template, 'utf8'), site));
  // Running as root, nginx would hand its workers to www-data, who cannot write the prefix.
  const user = process.getuid?.() === 0 ? ' user root;' : '';
  const args = ['-p', site.prefix, '-c', conf, '-e', 'stderr', '-g', `daemon off; pid ${join(site.prefix, 'nginx.pid')};${user}`];
  return { command: nginx, args, conf };
}

/** A port free right now on `host`, for nginx, which cannot be asked to pick one and say which. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Calls `onLine` with each line appended to `path` (nginx's access log), checking every `everyMs`; returns a stop function. */
export function followFile(path: string, onLine: (line: string) => void, everyMs = 200): () => Promise<void> {
  let offset = 0;
  let pending = '';
  let reading: Promise<void> = Promise.resolve();
  const read = async () => {
    const file = await open(path, 'r').catch(() => null);
    if (!file) return;
    try {
      for (;;) {
        const { bytesRead, buffer } = await file.read({ buffer: Buffer.alloc(64 * 1024), position: offset });
        if (!bytesRead) break;
        offset += bytesRead;
        const lines = (pending + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
        pending = lines.pop()!;
        for (const line of lines) onLine(line);
      }
    } finally {
      await file.close();
    }
  };
  const timer = setInterval(() => {
    reading = reading.then(read, read);
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await reading.then(read, read);
  };
}
