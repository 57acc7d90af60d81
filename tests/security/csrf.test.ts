/**
 * Cross-site request forgery and state changes over GET. The session cookie is
 * SameSite=Lax, so a cross-site top-level GET carries it: no GET may change
 * anything. Every other state change must be something a cross-site page cannot
 * send: JSON (tRPC), a custom header (uploads), or a secret in the URL (the
 * mail's unsubscribe token). Generated from the router for every mutation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { UnsubscribeTokens } from '../../server/mail/unsubscribe-token.js';
import { fill, readRouter, type IdSlot, type OwnedKind, type SharedKind } from '../support/security-procedures.js';
import { PASSWORD, buildOwned, sharedFacts, signUp, snapshotOf, type Owned, type User } from '../support/security-world.js';
import { makeStagePhoto } from '../support/images.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

let app: RunningApp;
let importRoot: string;
let victim: User;
let owned: Owned;
let shared: Record<SharedKind, number | string>;
beforeAll(async () => {
  importRoot = await mkdtemp(join(tmpdir(), 'ch-csrf-'));
  app = await startTestApp({
    DATA_DIR: join(importRoot, 'data'),
    LOCAL_IMPORT_ROOTS: importRoot,
    RATE_LIMIT_API_PER_MIN: '0',
    // Mail on (nothing here sends one), so that unsubscribe links are signed and accepted.
    SMTP_URL: 'smtp://127.0.0.1:1',
  });
  victim = await signUp(app, 'victim');
  [owned, shared] = await Promise.all([buildOwned(app, victim, importRoot), sharedFacts(app)]);
});
afterAll(async () => {
  await app?.close();
  await rm(importRoot, { recursive: true, force: true });
});

const mutations = readRouter().procedures.filter((p) => p.type === 'mutation');

/** The victim's real things in every id slot: a forged request that got through would change them. */
function victimInput(shape: unknown) {
  return fill(shape, (slot: IdSlot, index) => (slot.owned ? owned[slot.kind as OwnedKind][index % 2] : shared[slot.kind as SharedKind]));
}

/** What the victim's browser would hold; a forged request rides on it. */
const cookie = () => ({ cookie: victim.jar.cookie! });
const trpcUrl = (path: string, query = '') => `${app.url}/trpc/${path}${query}`;

async function victimState() {
  return {
    data: await snapshotOf(app, victim.user.id),
    // Still logged in (no forged logout), same password (no forged change), account still there.
    me: (await victim.client.auth.me.query())?.id,
    // No account made by a forged sign-up (the generated input's email).
    forgedSignups: (await app.database.db.select({ id: users.id }).from(users).where(eq(users.email, 'someone@example.test'))).length,
  };
}

describe('tRPC mutations', () => {
  it('are refused from another origin, as forms or multipart or text, and when the browser says cross-site, for every mutation', async () => {
    const before = await victimState();
    const forgeries: Array<[string, Record<string, string>, (input: unknown) => BodyInit]> = [
      [
        'JSON from another origin',
        { 'content-type': 'application/json', origin: 'https://evil.example' },
        (input) => JSON.stringify({ json: input }),
      ],
      [
        'JSON from a look-alike origin',
        { 'content-type': 'application/json', origin: `${app.url}.evil.example` },
        (input) => JSON.stringify({ json: input }),
      ],
      [
        'JSON marked cross-site, no Origin',
        { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        (input) => JSON.stringify({ json: input }),
      ],
      ['a form post from our own origin', { 'content-type': 'application/x-www-form-urlencoded', origin: app.url }, () => 'json=%7B%7D'],
      [
        'multipart from our own origin',
        { 'content-type': 'multipart/form-data; boundary=x', origin: app.url },
        () => '--x\r\nContent-Disposition: form-data; name="json"\r\n\r\n{}\r\n--x--\r\n',
      ],
      ['text/plain (a "simple" fetch)', { 'content-type': 'text/plain', origin: app.url }, (input) => JSON.stringify({ json: input })],
      ['no content type', { origin: app.url }, (input) => JSON.stringify({ json: input })],
    ];
    const wrong: string[] = [];
    for (const procedure of mutations) {
      const input = victimInput(procedure.shapes[0]);
      for (const [what, headers, body] of forgeries) {
        const response = await fetch(trpcUrl(procedure.path), { method: 'POST', headers: { ...headers, ...cookie() }, body: body(input) });
        if (response.status !== 403) wrong.push(`${procedure.path}, ${what}: ${response.status}`);
      }
    }
    // tRPC's batch form goes through the same guard.
    const batch = await fetch(trpcUrl('auth.logout,concerts.delete', '?batch=1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', ...cookie() },
      body: JSON.stringify({ 0: { json: null }, 1: { json: { id: owned.concert[0] } } }),
    });
    expect(batch.status).toBe(403);
    expect(wrong).toEqual([]);
    expect(await victimState()).toEqual(before);
  });

  it('never run over GET, HEAD or OPTIONS, for every mutation, and nothing changes', async () => {
    const before = await victimState();
    const wrong: string[] = [];
    for (const procedure of mutations) {
      const input = encodeURIComponent(JSON.stringify({ json: victimInput(procedure.shapes[0]) }));
      for (const method of ['GET', 'HEAD', 'OPTIONS']) {
        const response = await fetch(trpcUrl(procedure.path, `?input=${input}`), { method, headers: { origin: app.url, ...cookie() } });
        // GET: 405. HEAD (204, empty) and OPTIONS (415) are answered by tRPC before any procedure runs.
        const refused = method === 'GET' ? response.status === 405 : response.status !== 200 && response.status < 500;
        if (!refused) wrong.push(`${method} ${procedure.path}: ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await victimState()).toEqual(before);
    // The password the forged changePassword / deleteAccount carried is still the only one that works.
    await expect(trpcHttpClient(app.url).client.auth.login.mutate({ email: victim.email, password: PASSWORD })).resolves.toMatchObject({
      id: victim.user.id,
    });
  });

  it('accept a same-origin JSON mutation (the guard refuses forgeries, not the app)', async () => {
    const response = await fetch(trpcUrl('photos.star'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url, 'sec-fetch-site': 'same-origin', ...cookie() },
      body: JSON.stringify({ json: { id: owned.photo[3], starred: false } }),
    });
    expect(response.status).toBe(200);
  });
});

function upload(headers: Record<string, string>, body?: BodyInit) {
  return fetch(`${app.url}/api/uploads`, { method: 'POST', headers, ...(body ? { body } : {}) });
}

async function photoForm() {
  const form = new FormData();
  form.append('photos', new Blob([new Uint8Array(await makeStagePhoto({ seed: 10, width: 64, height: 48 }))], { type: 'image/jpeg' }), 'a.jpg');
  return form;
}

describe('Express routes that change state', () => {
  it('uploads need the session, our origin and the app header no form can send; forms are refused', async () => {
    const app_ = { origin: app.url, 'x-requested-with': 'concert-history' };
    const before = await snapshotOf(app, victim.user.id);
    expect((await upload(app_, await photoForm())).status).toBe(401);
    expect((await upload({ ...app_, ...cookie(), origin: 'https://evil.example' }, await photoForm())).status).toBe(403);
    // A cross-site <form> can send multipart with the cookie, but no custom header.
    expect((await upload({ origin: app.url, ...cookie() }, await photoForm())).status).toBe(403);
    expect((await upload({ ...app_, ...cookie(), 'x-requested-with': 'XMLHttpRequest' }, await photoForm())).status).toBe(403);
    const form = await upload({ ...app_, ...cookie(), 'content-type': 'application/x-www-form-urlencoded' }, 'photos=x');
    expect(form.status).toBe(400);
    expect((await form.json()).error.message).toBe('Send the photos as multipart/form-data');
    // There is no GET to upload through.
    expect((await fetch(`${app.url}/api/uploads`, { headers: cookie() })).status).toBe(404);
    expect(await snapshotOf(app, victim.user.id)).toEqual(before);
    // The control: the same upload from the app itself is taken.
    expect((await upload({ ...app_, ...cookie() }, await photoForm())).status).toBe(200);
  });

  it('the history download is GET-only and read-only', async () => {
    const before = await snapshotOf(app, victim.user.id);
    for (const format of ['csv', 'json']) {
      expect((await fetch(`${app.url}/api/export/history.${format}`)).status).toBe(401);
      expect((await fetch(`${app.url}/api/export/history.${format}`, { headers: cookie() })).status).toBe(200);
      expect((await fetch(`${app.url}/api/export/history.${format}`, { method: 'POST', headers: cookie() })).status).toBe(404);
    }
    expect(await snapshotOf(app, victim.user.id)).toEqual(before);
  });

  it('unsubscribe: GET only shows the button; the POST needs the signed token (not a session, which a forgery would ride on)', async () => {
    const tokens = new UnsubscribeTokens(app.config.mail!.unsubscribeSecret);
    const link = `${app.url}/api/unsubscribe?token=${tokens.sign(victim.user.id, 'milestone')}`;
    const prefs = async () => (await app.database.db.select().from(users).where(eq(users.id, victim.user.id)))[0]!;

    // Link scanners and previews follow links: GET changes nothing.
    expect((await fetch(link, { headers: cookie() })).status).toBe(200);
    expect((await prefs()).mailMilestones).toBe(true);
    // A forged cross-site form with the victim's cookie but no token, or a token of another user or kind, does nothing.
    for (const forged of [
      `${app.url}/api/unsubscribe`,
      link.replace(`token=${victim.user.id}.`, `token=${victim.user.id + 1}.`),
      link.replace('milestone', 'on_this_day'),
    ]) {
      const response = await fetch(forged, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', ...cookie() },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status, forged).toBe(400);
    }
    expect(await prefs()).toMatchObject({ mailMilestones: true, mailOnThisDay: true, mailScanFinished: true });
    // RFC 8058 one-click: the mail client posts from anywhere, without a session; the token alone decides.
    expect(
      (await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }))
        .status,
    ).toBe(200);
    expect(await prefs()).toMatchObject({ mailMilestones: false, mailOnThisDay: true, mailScanFinished: true });
  });

  it('the queue dashboard refuses an administrator’s cross-origin write, and anyone else’s', async () => {
    const admin = await signUp(app, 'csrf-admin');
    await app.database.db.update(users).set({ role: 'admin' }).where(eq(users.id, admin.user.id));
    await admin.client.auth.login.mutate({ email: admin.email, password: PASSWORD });
    const pause = (headers: Record<string, string>) => fetch(`${app.url}/admin/queues/api/queues/venue/pause`, { method: 'PUT', headers });
    const queue = app.services.queues.queue('venue');

    expect((await pause({ cookie: admin.jar.cookie!, origin: 'https://evil.example' })).status).toBe(403);
    expect((await pause({ cookie: admin.jar.cookie!, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await pause({ ...cookie(), origin: app.url })).status).toBe(403);
    expect((await pause({ origin: app.url })).status).toBe(401);
    expect(await queue.isPaused()).toBe(false);
    // The same request from the dashboard itself works.
    expect((await pause({ cookie: admin.jar.cookie!, origin: app.url })).status).toBe(200);
    expect(await queue.isPaused()).toBe(true);
    await queue.resume();
  });
});
