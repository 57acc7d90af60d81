import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../support/test-app.js';

describe('health and readiness', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('answers liveness with version and uptime', async () => {
    const response = await fetch(`${app.url}/api/health`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'ok', version: '0.1.0' });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('is ready when MySQL and Redis answer', async () => {
    const response = await fetch(`${app.url}/api/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', redis: 'ok' },
      queueRedisMaxmemoryPolicy: 'noeviction',
    });
  });

  // Security headers on this and every other kind of response: tests/security/headers.test.ts.

  it('turns not ready once draining starts (SIGTERM), while liveness still answers', async () => {
    const draining = await startTestApp();
    try {
      draining.drain.start();
      const response = await fetch(`${draining.url}/api/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'draining' });
      expect((await fetch(`${draining.url}/api/health`)).status).toBe(200);
    } finally {
      await draining.close();
    }
  });
});

describe('with Redis unreachable', () => {
  let app: RunningApp;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    app = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' }, { waitForRedisReady: false });
  });
  afterAll(() => app.close());

  // The short timeouts guard against hanging; they are not speed claims.
  it('answers readiness 503 naming Redis, and still reports the database up', { timeout: 30_000 }, async () => {
    const response = await fetch(`${app.url}/api/ready`);
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.status).toBe('unavailable');
    expect(body.down).toEqual(['redis']);
    expect(body.checks.database).toBe('ok');
    expect(body.checks.redis).toMatch(/^down: /);
  });

  it('answers tRPC requests with a clear 503 instead of hanging', { timeout: 30_000 }, async () => {
    // A validly signed session cookie, so the server must ask the store for it.
    const sid = 'some-session-id';
    const mac = createHmac('sha256', app.config.session.secret).update(sid).digest('base64').replace(/=+$/, '');
    const response = await fetch(`${app.url}/trpc/auth.me`, { headers: { cookie: `ch.sid=${encodeURIComponent(`s:${sid}.${mac}`)}` } });
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.error.message).toMatch(/session store \(Redis\) cannot be reached/);
  });

  it('stays alive: liveness still answers', async () => {
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });
});
