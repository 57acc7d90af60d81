/**
 * Cached views as the bytes that go on the wire (server/http/cached-views.ts,
 * server/cache/wire-cache.ts): a hit is byte-identical to the miss that stored it,
 * an unchanged view answers 304, a write invalidates exactly the views that show
 * it — and the user's own write is visible on the very next read through another
 * web process — while the session, the account check and the API limit stay on the path.
 */
import { get as httpGet } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos, scans, sources, users } from '../../drizzle/schema/index.js';
import { CURRENT_USER_TTL_MS } from '../../server/http/current-users.js';
import { startWebProcess, stop, type Child } from '../support/child-process.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { signedUpClient, trpcFailure } from '../support/trpc-http-client.js';

const SESSION_SECRET = 'wire-cache-test-session-secret-0123456789';
let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ SESSION_SECRET });
});
afterAll(async () => {
  await app?.close();
});

const hits = (procedure: string) => app.services.viewCache.counts.get(`wire:${procedure}`)?.hits ?? 0;

/** A GET of one procedure as a browser sends it (gzip accepted), with the answer's bytes unzipped. (fetch would hide the encoding.) */
function get(baseUrl: string, cookie: string, procedure: string, input?: unknown, headers: Record<string, string> = {}) {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return new Promise<{ status: number; headers: Headers; body: string }>((resolve, reject) => {
    const request = httpGet(`${baseUrl}/trpc/${procedure}${query}`, { headers: { cookie, 'accept-encoding': 'gzip', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) answerHeaders.set(name, String(value));
        resolve({ status: response.statusCode!, headers: answerHeaders, body: body.toString('utf8') });
      });
    });
    request.on('error', reject);
  });
}

/** A user with a library of photos in two concerts, made through the API where the API makes them. */
async function userWithPhotos(baseUrl = app.url) {
  const fan = await signedUpClient(baseUrl, 'wire');
  const db = app.database.db;
  const userId = fan.user.id;
  const [source] = await db.insert(sources).values({ userId, kind: 'upload', label: 'Uploaded photos', locationKey: `wire-${userId}` });
  const [scan] = await db.insert(scans).values({ userId, sourceId: source.insertId, status: 'completed' });
  const photoIds: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [row] = await db.insert(photos).values({
      userId,
      sourceId: source.insertId,
      scanId: scan.insertId,
      sourceFileId: `IMG_${i}.JPG`,
      fileName: `IMG_${i}.JPG`,
      status: 'ready',
      width: 4000,
      height: 3000,
      takenAt: new Date(Date.UTC(2019, 6, 5, 19, 30, i)),
      contentHash: String(i).repeat(64),
      thumbnailKey: `users/${userId}/thumbs/${String(i).repeat(64)}.webp`,
    });
    photoIds.push(row.insertId);
  }
  const first = await fan.client.concerts.create.mutate({ date: '2019-07-05', artist: { artistName: 'Wire Band' }, photoIds: photoIds.slice(0, 2) });
  const second = await fan.client.concerts.create.mutate({ date: '2018-03-02', artist: { artistName: 'Other Band' }, photoIds: photoIds.slice(2) });
  return { ...fan, cookie: fan.jar.cookie!, photoIds, concertIds: [first.id, second.id] };
}

describe('a cached view', () => {
  it('answers a hit with the very bytes the miss answered, and the same headers that matter', async () => {
    const fan = await userWithPhotos();
    for (const [procedure, input] of [
      ['concerts.list', { limit: 20 }],
      ['concerts.years', undefined],
      ['concerts.get', { id: fan.concertIds[0] }],
      ['photos.list', { concertId: fan.concertIds[0], limit: 60 }],
      ['stats.summary', undefined],
    ] as const) {
      const before = hits(procedure);
      const miss = await get(app.url, fan.cookie, procedure, input);
      const hit = await get(app.url, fan.cookie, procedure, input);
      expect(miss.status, procedure).toBe(200);
      expect(hits(procedure), `${procedure} is answered from the cache the second time`).toBe(before + 1);
      expect(hit.body, procedure).toBe(miss.body);
      for (const header of [
        'content-type',
        'content-encoding',
        'vary',
        'etag',
        'cache-control',
        'x-content-type-options',
        'content-security-policy',
      ]) {
        expect(hit.headers.get(header), `${procedure}: ${header}`).toBe(miss.headers.get(header));
      }
      expect(hit.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    }
  });

  it('answers auth.me from the session with the bytes tRPC itself writes', async () => {
    const fan = await signedUpClient(app.url, 'me');
    const fast = await get(app.url, fan.jar.cookie!, 'auth.me');
    // A batch (of one) always goes the normal way, through tRPC.
    const viaTrpc = await fetch(`${app.url}/trpc/auth.me?batch=1&input=${encodeURIComponent('{}')}`, { headers: { cookie: fan.jar.cookie! } });
    expect(fast.status).toBe(200);
    expect(JSON.parse(fast.body).result.data.json.email).toBe(fan.email);
    expect(`[${fast.body}]`).toBe(await viaTrpc.text());
  });

  it('answers 304 to a browser that has the current answer, and 200 once it changed', async () => {
    const fan = await userWithPhotos();
    const first = await get(app.url, fan.cookie, 'concerts.get', { id: fan.concertIds[0] });
    const etag = first.headers.get('etag')!;
    expect((await get(app.url, fan.cookie, 'concerts.get', { id: fan.concertIds[0] }, { 'if-none-match': etag })).status).toBe(304);
    await fan.client.concerts.update.mutate({ id: fan.concertIds[0]!, notes: 'changed' });
    const changed = await get(app.url, fan.cookie, 'concerts.get', { id: fan.concertIds[0] }, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(JSON.parse(changed.body).result.data.json.notes).toBe('changed');
  });

  it('is invalidated exactly by the writes that change what it shows', async () => {
    const fan = await userWithPhotos();
    const [starredConcert, otherConcert] = fan.concertIds as [number, number];
    const views = {
      timeline: ['concerts.list', { limit: 20 }],
      starredGrid: ['photos.list', { concertId: starredConcert, limit: 60 }],
      otherGrid: ['photos.list', { concertId: otherConcert, limit: 60 }],
      starredPage: ['concerts.get', { id: starredConcert }],
      otherPage: ['concerts.get', { id: otherConcert }],
      stats: ['stats.summary', undefined],
    } as const;
    const read = async () =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(views).map(async ([name, [procedure, input]]) => [name, (await get(app.url, fan.cookie, procedure, input)).body]),
        ),
      );
    const cachedNow = async (name: keyof typeof views) => {
      const [procedure, input] = views[name];
      const before = hits(procedure);
      await get(app.url, fan.cookie, procedure, input);
      return hits(procedure) > before;
    };

    const before = await read();
    await fan.client.photos.star.mutate({ id: fan.photoIds[1]!, starred: true });
    // Starring shows in that concert's grid and strip; its page, the other concert and the stats stay cached.
    expect(await cachedNow('starredGrid')).toBe(false);
    expect(await cachedNow('timeline')).toBe(false);
    expect(await cachedNow('starredPage')).toBe(true);
    expect(await cachedNow('otherGrid')).toBe(true);
    expect(await cachedNow('stats')).toBe(true);
    const afterStar = await read();
    expect(afterStar.starredGrid).not.toBe(before.starredGrid);
    expect(JSON.parse(afterStar.timeline).result.data.json.items.find((item: { id: number }) => item.id === starredConcert).photos[0].id).toBe(
      fan.photoIds[1],
    );

    await fan.client.concerts.update.mutate({ id: otherConcert, notes: 'only on its page' });
    expect(await cachedNow('otherPage')).toBe(false);
    expect(await cachedNow('timeline')).toBe(true);
    expect(await cachedNow('stats')).toBe(true);

    await fan.client.concerts.update.mutate({ id: otherConcert, date: '2018-03-03' });
    expect(await cachedNow('timeline')).toBe(false);
    expect(await cachedNow('stats')).toBe(false);
    expect(JSON.parse((await read()).otherPage).result.data.json.concertDate).toBe('2018-03-03');
  });

  it("is never another user's: the same request with another session gets that user's own answer", async () => {
    const owner = await userWithPhotos();
    const other = await signedUpClient(app.url, 'other');
    await get(app.url, owner.cookie, 'concerts.get', { id: owner.concertIds[0] });
    const stolenId = await get(app.url, other.jar.cookie!, 'concerts.get', { id: owner.concertIds[0] });
    expect(stolenId.status).toBe(404);
    const list = await get(app.url, other.jar.cookie!, 'concerts.list', { limit: 20 });
    expect(JSON.parse(list.body).result.data.json.items).toEqual([]);
  });

  it('keeps the session, the account check and the API limit on the path of a hit', async () => {
    const limited = await startTestApp({ SESSION_SECRET, RATE_LIMIT_API_PER_MIN: '20' });
    try {
      const fan = await userWithPhotos(limited.url);
      const input = { id: fan.concertIds[0] };
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await get(limited.url, fan.cookie, 'concerts.get', input)).status);
      // Signing up and making two concerts were 2 calls of the 20; cached or not, the 19th read is refused.
      expect(statuses.filter((status) => status === 200)).toHaveLength(18);
      expect(statuses.slice(18).every((status) => status === 429)).toBe(true);

      // Logged out: the stored answer is no longer reachable with that cookie.
      const reader = await userWithPhotos(limited.url);
      await get(limited.url, reader.cookie, 'concerts.list', { limit: 20 });
      await reader.client.auth.logout.mutate();
      expect((await get(limited.url, reader.cookie, 'concerts.list', { limit: 20 })).status).toBe(401);

      // An account deleted behind the app's back: its cached answers stop within the account check's few seconds.
      const gone = await userWithPhotos(limited.url);
      await get(limited.url, gone.cookie, 'concerts.list', { limit: 20 });
      await limited.database.db.delete(users).where(eq(users.id, gone.user.id));
      await new Promise((resolve) => setTimeout(resolve, CURRENT_USER_TTL_MS + 500));
      expect((await get(limited.url, gone.cookie, 'concerts.list', { limit: 20 })).status).toBe(401);
    } finally {
      await limited.close();
    }
  });

  it('does not touch the session on every request: no cookie and no Redis write until the session is minutes old', async () => {
    const fan = await userWithPhotos();
    const sessionId = decodeURIComponent(fan.cookie.split('=')[1]!).slice(2).split('.')[0]!;
    const key = app.services.sessions.sessionKey(sessionId);
    const stored = await app.redis.get(key);
    for (const procedure of ['concerts.list', 'concerts.years', 'stats.summary']) {
      const response = await get(app.url, fan.cookie, procedure, procedure === 'concerts.list' ? { limit: 20 } : undefined);
      expect(response.headers.get('set-cookie'), procedure).toBeNull();
    }
    expect(await app.redis.get(key)).toBe(stored);

    // Ten minutes later (the record says so): the next request renews the 30 days and sends the cookie again.
    const record = JSON.parse(stored!);
    await app.redis.set(key, JSON.stringify({ ...record, touchedAt: Date.now() - 10 * 60_000 }), 'EX', 3600);
    const renewed = await get(app.url, fan.cookie, 'concerts.list', { limit: 20 });
    expect(renewed.status).toBe(200);
    expect(renewed.headers.get('set-cookie')).toMatch(/^ch\.sid=/);
    expect(await app.redis.ttl(key)).toBeGreaterThan(29 * 24 * 3600);
    expect(JSON.parse((await app.redis.get(key))!).touchedAt).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('two web processes', () => {
  const children: Child[] = [];
  afterAll(async () => {
    await Promise.all(children.map((child) => stop(child)));
  });

  it("show a user's own write on the very next read through the other process, whose cache held the old answer", async () => {
    const env = testEnv({ SESSION_SECRET });
    const [one, two] = await Promise.all([startWebProcess(env), startWebProcess(env)]);
    children.push(one.child, two.child);
    const fan = await userWithPhotos(one.url);
    const concertId = fan.concertIds[0]!;
    for (const url of [one.url, two.url]) {
      await get(url, fan.cookie, 'concerts.get', { id: concertId });
      await get(url, fan.cookie, 'photos.list', { concertId, limit: 60 });
    }
    const cachedOnTwo = await get(two.url, fan.cookie, 'concerts.get', { id: concertId });
    expect(JSON.parse(cachedOnTwo.body).result.data.json.notes).toBeNull();

    await fan.client.concerts.update.mutate({ id: concertId, notes: 'written through process one' });
    const page = await get(two.url, fan.cookie, 'concerts.get', { id: concertId });
    expect(JSON.parse(page.body).result.data.json.notes).toBe('written through process one');

    const starred = fan.photoIds[0]!;
    await fan.client.photos.star.mutate({ id: starred, starred: true });
    const grid = JSON.parse((await get(two.url, fan.cookie, 'photos.list', { concertId, limit: 60 })).body).result.data.json.items;
    expect(grid.find((photo: { id: number }) => photo.id === starred).starred).toBe(true);
  });
});

describe('failures', () => {
  it('are never cached: a missing concert answers NOT_FOUND every time', async () => {
    const fan = await signedUpClient(app.url, 'missing');
    for (let i = 0; i < 2; i++) expect((await trpcFailure(fan.client.concerts.get.query({ id: 2_000_000_000 }))).data?.code).toBe('NOT_FOUND');
  });
});
