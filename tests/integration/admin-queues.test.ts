import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { QUEUE_NAMES } from '../../shared/queues.js';
import { waitForOutput, type Child } from '../support/child-process.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

let app: RunningApp;
let worker: Child;

beforeAll(async () => {
  app = await startTestApp();
  // Info logs on: the test watches the worker announce its new concurrency.
  worker = await startWorkerProcess(testEnv({ LOG_LEVEL: 'info' }));
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
});

async function signUp(role: 'user' | 'admin') {
  const email = uniqueEmail(`queues-${role}`);
  const password = 'correct horse battery';
  await trpcHttpClient(app.url).client.auth.signup.mutate({ email, password, name: 'Ops' });
  await app.database.db.update(users).set({ role }).where(eq(users.email, email));
  // The role travels in the session, so log in after the change.
  const jar = new CookieJar();
  const { client } = trpcHttpClient(app.url, jar);
  await client.auth.login.mutate({ email, password });
  return { client, get: (path: string) => fetch(`${app.url}${path}`, { headers: { cookie: jar.cookie ?? '' } }) };
}

describe('the queue dashboard and admin procedures', () => {
  it('refuses a visitor without a session with 401 and a normal user with 403 and FORBIDDEN', async () => {
    const anonymous = await fetch(`${app.url}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

    const user = await signUp('user');
    const page = await user.get('/admin/queues');
    expect(page.status).toBe(403);
    expect(await page.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await user.get('/admin/queues/api/queues')).status).toBe(403);
    await expect(user.client.admin.queues.query()).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    await expect(user.client.admin.pause.mutate({ queue: 'image' })).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    await expect(user.client.admin.setConcurrency.mutate({ queue: 'image', concurrency: 2 })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
  });

  it('shows an admin the dashboard and its API over the five queues', async () => {
    const admin = await signUp('admin');
    const page = await admin.get('/admin/queues');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<div id="root">/);

    const api = await admin.get('/admin/queues/api/queues');
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());

    const listed = await admin.client.admin.queues.query();
    expect(listed.map((q) => q.name)).toEqual([...QUEUE_NAMES]);
    expect(listed[0]).toMatchObject({ paused: false, counts: { waiting: expect.any(Number), failed: expect.any(Number) } });
  });

  it('pauses and resumes a queue', async () => {
    const admin = await signUp('admin');
    const queue = app.services.queues.queue('venue');
    await admin.client.admin.pause.mutate({ queue: 'venue' });
    expect(await queue.isPaused()).toBe(true);
    expect((await admin.client.admin.queues.query()).find((q) => q.name === 'venue')?.paused).toBe(true);
    await admin.client.admin.resume.mutate({ queue: 'venue' });
    expect(await queue.isPaused()).toBe(false);
  });

  it('retries the failed jobs of a queue: a failed job goes back to waiting', async () => {
    const admin = await signUp('admin');
    const queue = app.services.queues.queue('image');
    // An invalid payload fails for good in the real worker process.
    const job = await queue.add('render-variants', { not: 'a valid payload' }, { attempts: 1, jobId: `broken-${Date.now()}` });
    await expect.poll(() => job.getState(), { timeout: 30_000 }).toBe('failed');

    // Paused, so the worker does not fail it again before we look.
    await admin.client.admin.pause.mutate({ queue: 'image' });
    try {
      const result = await admin.client.admin.retryFailed.mutate({ queue: 'image' });
      expect(result.retried).toBeGreaterThanOrEqual(1);
      await expect.poll(() => job.getState(), { timeout: 30_000 }).toBe('waiting');
    } finally {
      await admin.client.admin.resume.mutate({ queue: 'image' });
    }
  });

  it('changes the concurrency of a running worker process at runtime', async () => {
    const admin = await signUp('admin');
    await expect(admin.client.admin.setConcurrency.mutate({ queue: 'match', concurrency: 65 })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
    await admin.client.admin.setConcurrency.mutate({ queue: 'match', concurrency: 7 });
    await waitForOutput(worker, /"queue":"match","from":\d+,"to":7,"msg":"concurrency changed"/, 60_000);
    expect((await admin.client.admin.queues.query()).find((q) => q.name === 'match')?.concurrencyOverride).toBe(7);
  });
});
