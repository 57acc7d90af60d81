import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebProcess, stop, type Child } from '../support/child-process.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcHttpClient } from '../support/trpc-http-client.js';

describe('two web processes', () => {
  let first: { child: Child; url: string };
  let second: { child: Child; url: string };
  beforeAll(async () => {
    [first, second] = await Promise.all([startWebProcess(testEnv()), startWebProcess(testEnv())]);
  });
  afterAll(async () => {
    await Promise.all([first, second].filter(Boolean).map(({ child }) => stop(child)));
  });

  it('share one session: log in on one, auth.me answers on the other, log out on the other ends it on both', async () => {
    expect(first.url).not.toBe(second.url);
    const onFirst = trpcHttpClient(first.url);
    const email = uniqueEmail('shared');
    await onFirst.client.auth.signup.mutate({ email, password: 'correct horse battery', name: 'Shared' });

    const onSecond = trpcHttpClient(second.url, onFirst.jar);
    expect((await onSecond.client.auth.me.query())?.email).toBe(email);

    const cookie = onFirst.jar.cookie;
    await onSecond.client.auth.logout.mutate();
    const replay = new CookieJar();
    replay.cookie = cookie;
    expect(await trpcHttpClient(first.url, replay).client.auth.me.query()).toBeNull();
  });

  it('a web process drains and exits 0 on SIGTERM', async () => {
    const extra = await startWebProcess(testEnv());
    expect((await fetch(`${extra.url}/api/health`)).status).toBe(200);
    expect(await stop(extra.child)).toBe(0);
  });
});
