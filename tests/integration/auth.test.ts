import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { SESSION_COOKIE } from '../../server/http/session.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient, trpcFailure as errorOf } from '../support/trpc-http-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const password = 'correct horse battery staple';

const sessionKey = (cookie: string) => {
  const signed = decodeURIComponent(cookie.split('=')[1]!);
  return `${app.config.redis.keyPrefix}:sess:${signed.slice(2, signed.lastIndexOf('.'))}`;
};

describe('accounts and sessions', () => {
  it('signs up with a normalised email, stores an argon2id hash and logs the user in', async () => {
    const { client, jar } = trpcHttpClient(app.url);
    const email = uniqueEmail('Signup').toUpperCase();
    const user = await client.auth.signup.mutate({ email: `  ${email} `, password, name: 'Ada' });
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'Ada', role: 'user' });
    expect(jar.cookie).toMatch(new RegExp(`^${SESSION_COOKIE.replace('.', '\\.')}=`));
    expect(await client.auth.me.query()).toEqual(user);

    const [row] = await app.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.email).toBe(email.toLowerCase());
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain(password);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const { client } = trpcHttpClient(app.url);
    const email = uniqueEmail('dup');
    await client.auth.signup.mutate({ email, password, name: 'First' });
    const error = await errorOf(trpcHttpClient(app.url).client.auth.signup.mutate({ email: email.toUpperCase(), password, name: 'Second' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toBe('An account with this email already exists');
    const rows = await app.database.db.select().from(users).where(eq(users.email, email));
    expect(rows).toHaveLength(1);
  });

  it('explains invalid sign-up input field by field', async () => {
    const error = await errorOf(trpcHttpClient(app.url).client.auth.signup.mutate({ email: 'not-an-email', password: 'short', name: '' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    const fieldErrors = error.data!.zodError!.fieldErrors;
    expect(Object.keys(fieldErrors).sort()).toEqual(['email', 'name', 'password']);
    expect(error.message).toContain('password: Password must be at least 10 characters');
  });

  it('logs in with the right password and refuses a wrong one or an unknown email alike', async () => {
    const email = uniqueEmail('login');
    await trpcHttpClient(app.url).client.auth.signup.mutate({ email, password, name: 'Grace' });

    const { client } = trpcHttpClient(app.url);
    const wrong = await errorOf(client.auth.login.mutate({ email, password: 'not the password' }));
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
    expect(wrong.message).toBe('Wrong email or password');
    const unknown = await errorOf(client.auth.login.mutate({ email: uniqueEmail('ghost'), password }));
    expect(unknown.message).toBe('Wrong email or password');
    expect(await client.auth.me.query()).toBeNull();

    const user = await client.auth.login.mutate({ email: email.toUpperCase(), password });
    expect(user.name).toBe('Grace');
    expect((await client.auth.me.query())?.email).toBe(email);
  });

  it('a password change ends every other session of the user, keeps this one, and needs the current password', async () => {
    const email = uniqueEmail('change');
    const here = trpcHttpClient(app.url);
    const user = await here.client.auth.signup.mutate({ email, password, name: 'Grace' });
    const laptop = trpcHttpClient(app.url);
    const phone = trpcHttpClient(app.url);
    await laptop.client.auth.login.mutate({ email, password });
    await phone.client.auth.login.mutate({ email, password });
    const someoneElse = trpcHttpClient(app.url);
    await someoneElse.client.auth.signup.mutate({ email: uniqueEmail('bystander'), password, name: 'Other' });

    const wrong = await errorOf(here.client.auth.changePassword.mutate({ currentPassword: 'not it at all', newPassword: 'a brand new password' }));
    expect(wrong.data?.code).toBe('BAD_REQUEST');
    expect(wrong.message).toBe('The current password is wrong');
    expect(await laptop.client.auth.me.query()).toMatchObject({ id: user.id });

    const tooShort = await errorOf(here.client.auth.changePassword.mutate({ currentPassword: password, newPassword: 'short' }));
    expect(tooShort.data?.code).toBe('BAD_REQUEST');

    const laptopCookie = laptop.jar.cookie!;
    expect(await here.client.auth.changePassword.mutate({ currentPassword: password, newPassword: 'a brand new password' })).toEqual({
      endedSessions: 2,
    });
    expect(await here.client.auth.me.query()).toMatchObject({ id: user.id });
    expect(await laptop.client.auth.me.query()).toBeNull();
    expect(await phone.client.auth.me.query()).toBeNull();
    expect(await app.redis.exists(sessionKey(laptopCookie))).toBe(0);
    expect(await someoneElse.client.auth.me.query()).not.toBeNull();

    expect((await errorOf(trpcHttpClient(app.url).client.auth.login.mutate({ email, password }))).data?.code).toBe('UNAUTHORIZED');
    expect(await trpcHttpClient(app.url).client.auth.login.mutate({ email, password: 'a brand new password' })).toMatchObject({ id: user.id });
  });
});

// Session fixation, logout in Redis, cookie flags, UNAUTHORIZED without a session and CSRF: tests/security/.
