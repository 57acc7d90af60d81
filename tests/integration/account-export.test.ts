/**
 * The history export (GET /api/export/history.csv|json) and account deletion
 * (auth.deleteAccount), against the real app, MariaDB, Redis and local storage.
 */
import { randomUUID } from 'node:crypto';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq, getTableName, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  artists,
  concerts,
  duplicateGroups,
  festivalActs,
  festivals,
  historyExports,
  mailDeliveries,
  photos,
  processedFiles,
  scans,
  sources,
  uploads,
  users,
  venueAliases,
  venues,
} from '../../drizzle/schema/index.js';
import { historyExportRowSchema, type HistoryExportRow } from '../../shared/export.schema.js';
import { USER_SCOPED_TABLES } from '../../server/repositories/account.repository.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { type CookieJar, trpcHttpClient, trpcFailure as failure } from '../support/trpc-http-client.js';
import { jobRunner, workerServicesOf } from '../support/worker-jobs.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp(testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) }));
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.database.db;
const PASSWORD = 'correct horse battery';
// Artists and venues are shared by every test file of the run: names carry this run's tag.
const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;

async function newUser(label: string) {
  const { client, jar } = trpcHttpClient(app.url);
  const email = uniqueEmail(label);
  const user = await client.auth.signup.mutate({ email, password: PASSWORD, name: 'Fan' });
  return { client, jar, user, email };
}

function download(format: 'csv' | 'json', jar?: CookieJar, init: RequestInit = {}) {
  return fetch(`${app.url}/api/export/history.${format}`, { ...init, headers: jar?.cookie ? { cookie: jar.cookie } : {} });
}

/** RFC 4180, strictly: CRLF between records, quoted fields with doubled quotes. Throws on anything else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        field += '"';
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`a quote inside an unquoted field at ${i}`);
        field += text[i];
        i += 1;
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i += 1;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
      if (i === text.length) return records;
      continue;
    }
    throw new Error(`expected a comma or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 10))}`);
  }
}

async function csvOf(response: Response) {
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bom: [...bytes.subarray(0, 3)], records: parseCsv(bytes.subarray(3).toString('utf8')) };
}

const HEADER = [
  'Date',
  'Artist',
  'Artist MBID',
  'Venue',
  'City',
  'Country',
  'Tour',
  'Festival',
  'Status',
  'Supporting acts',
  'Setlist',
  'Songs',
  'Photos',
  'Starred photos',
  'Notes',
  'setlist.fm URL',
];

let fileCounter = 0;
async function insertPhotos(userId: number, concertId: number | null, fixtures: Array<Partial<typeof photos.$inferInsert>>) {
  for (const fixture of fixtures) {
    fileCounter += 1;
    await db()
      .insert(photos)
      .values({
        userId,
        sourceId: 1,
        sourceFileId: `fixture/${fileCounter}.jpg`,
        fileName: `IMG_${fileCounter}.JPG`,
        status: 'ready',
        concertId,
        ...fixture,
      });
  }
}

describe('the history export', () => {
  /** A history whose cells exercise every quoting rule, and a second user whose concert must never show up. */
  async function historyWithAwkwardText() {
    const fan = await newUser('export');
    const other = await newUser('export-other');
    const artistMbid = randomUUID();
    const [artist] = await db()
      .insert(artists)
      .values({ name: `Tricky, "The" Band ${tag}`, mbid: artistMbid });
    const [venue] = await db()
      .insert(venues)
      .values({ name: `Paradiso ${tag}`, city: 'Amsterdam', countryCode: 'NL', latitude: 52.3622, longitude: 4.884 });
    // The first concert is an act of a festival whose name needs quoting too.
    const [festival] = await db()
      .insert(festivals)
      .values({
        userId: fan.user.id,
        name: `Weekend, "Live" ${tag}`,
        siteKey: 'paradiso',
        siteName: 'Paradiso',
        firstDate: '2018-03-02',
        lastDate: '2018-03-02',
        source: 'user',
      });
    const [first] = await db()
      .insert(concerts)
      .values({
        userId: fan.user.id,
        festivalId: festival.insertId,
        concertDate: '2018-03-02',
        artistId: artist.insertId,
        venueId: venue.insertId,
        tour: 'World Tour 2018',
        status: 'confirmed',
        supportingActs: [{ name: '=cmd|calc' }, { name: 'Opener One' }],
        setlist: [
          { songs: [{ name: 'Intro', tape: true }, { name: 'Song, A' }, { name: 'Song B' }] },
          { name: 'Encore', encore: 1, songs: [{ name: 'Finale' }] },
        ],
        notes: 'Line one\nLine "two"',
        setlistfmUrl: 'https://www.setlist.fm/setlist/x/2018/paradiso-1.html',
      });
    // No artist, venue or setlist yet; notes that a spreadsheet would run as a formula.
    const [second] = await db().insert(concerts).values({
      userId: fan.user.id,
      concertDate: '2019-07-05',
      city: 'Utrecht',
      countryCode: 'NL',
      notes: '=HYPERLINK("http://evil.example","click")',
      tour: '+1 Tour',
      status: 'needs_review',
    });
    // Same evening as the second: the id orders them.
    const [third] = await db().insert(concerts).values({ userId: fan.user.id, concertDate: '2019-07-05', notes: '@SUM(A1:A2)', city: '-Minus' });
    await insertPhotos(fan.user.id, first.insertId, [{ starred: true }, {}, {}, { hidden: true }, { status: 'failed' }]);
    await insertPhotos(fan.user.id, second.insertId, [{ starred: true }]);
    await insertPhotos(fan.user.id, null, [{}]);
    await db()
      .insert(concerts)
      .values({ userId: other.user.id, concertDate: '2018-03-02', venueId: venue.insertId, notes: `secret of another user ${tag}` });
    return { fan, other, artistMbid, ids: [first.insertId, second.insertId, third.insertId] };
  }

  it('downloads the whole history as CSV: BOM, CRLF, quoting, defused formulas, oldest first, and only the own concerts', async () => {
    const { fan, artistMbid } = await historyWithAwkwardText();
    const response = await download('csv', fan.jar);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="concert-history-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { bom, records } = await csvOf(response);
    expect(bom).toEqual([0xef, 0xbb, 0xbf]);
    expect(records).toEqual([
      HEADER,
      [
        '2018-03-02',
        `Tricky, "The" Band ${tag}`,
        artistMbid,
        `Paradiso ${tag}`,
        'Amsterdam',
        'NL',
        'World Tour 2018',
        `Weekend, "Live" ${tag}`,
        'confirmed',
        "'=cmd|calc; Opener One",
        'Intro (tape); Song, A; Song B; Finale',
        '3',
        '3',
        '1',
        'Line one\nLine "two"',
        'https://www.setlist.fm/setlist/x/2018/paradiso-1.html',
      ],
      [
        '2019-07-05',
        '',
        '',
        '',
        'Utrecht',
        'NL',
        "'+1 Tour",
        '',
        'needs_review',
        '',
        '',
        '0',
        '1',
        '1',
        `'=HYPERLINK("http://evil.example","click")`,
        '',
      ],
      ['2019-07-05', '', '', '', "'-Minus", '', '', '', 'needs_review', '', '', '0', '0', '0', "'@SUM(A1:A2)", ''],
    ]);
  });

  it('downloads the same history as a JSON array of documented rows', async () => {
    const { fan, artistMbid } = await historyWithAwkwardText();
    const response = await download('json', fan.jar);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="concert-history-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const rows = z.array(historyExportRowSchema).parse(await response.json());
    expect(rows).toEqual<HistoryExportRow[]>([
      {
        date: '2018-03-02',
        artist: `Tricky, "The" Band ${tag}`,
        artistMbid,
        venue: `Paradiso ${tag}`,
        city: 'Amsterdam',
        country: 'NL',
        tour: 'World Tour 2018',
        festival: `Weekend, "Live" ${tag}`,
        status: 'confirmed',
        supportingActs: ['=cmd|calc', 'Opener One'],
        setlist: [
          { name: 'Intro', tape: true },
          { name: 'Song, A', tape: false },
          { name: 'Song B', tape: false },
          { name: 'Finale', tape: false },
        ],
        songCount: 3,
        photoCount: 3,
        starredCount: 1,
        notes: 'Line one\nLine "two"',
        setlistfmUrl: 'https://www.setlist.fm/setlist/x/2018/paradiso-1.html',
      },
      {
        date: '2019-07-05',
        artist: null,
        artistMbid: null,
        venue: null,
        city: 'Utrecht',
        country: 'NL',
        tour: '+1 Tour',
        festival: null,
        status: 'needs_review',
        supportingActs: [],
        setlist: [],
        songCount: 0,
        photoCount: 1,
        starredCount: 1,
        notes: '=HYPERLINK("http://evil.example","click")',
        setlistfmUrl: null,
      },
      {
        date: '2019-07-05',
        artist: null,
        artistMbid: null,
        venue: null,
        city: '-Minus',
        country: null,
        tour: null,
        festival: null,
        status: 'needs_review',
        supportingActs: [],
        setlist: [],
        songCount: 0,
        photoCount: 0,
        starredCount: 0,
        notes: '@SUM(A1:A2)',
        setlistfmUrl: null,
      },
    ]);
  });

  it('gives an empty history a header row and an empty array', async () => {
    const { jar } = await newUser('export-empty');
    expect((await csvOf(await download('csv', jar))).records).toEqual([HEADER]);
    expect(await (await download('json', jar)).json()).toEqual([]);
  });

  it('answers 401 without a session or after logging out, and changes nothing over POST', async () => {
    for (const format of ['csv', 'json'] as const) {
      const response = await download(format);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Please log in first' } });
    }
    const { client, jar } = await newUser('export-logout');
    const cookie = jar.cookie!;
    await client.auth.logout.mutate();
    const replayed = await fetch(`${app.url}/api/export/history.csv`, { headers: { cookie } });
    expect(replayed.status).toBe(401);
    const post = await fetch(`${app.url}/api/export/history.csv`, { method: 'POST', headers: { cookie } });
    expect(post.status).toBe(404);
  });

  it('streams a history of 1,000 concerts completely, across pages that split an evening', async () => {
    const { jar, user } = await newUser('export-long');
    // 600 concerts on one evening put the 500-row page boundary in the middle of a date: only the id tells them apart there.
    const values = Array.from({ length: 1_000 }, (_, i) => ({
      userId: user.id,
      concertDate: i < 600 ? '2015-06-01' : `2016-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      notes: `concert #${i}`,
    }));
    await db().insert(concerts).values(values);

    const { records } = await csvOf(await download('csv', jar));
    expect(records).toHaveLength(1_001);
    const notes = records.slice(1).map((record) => record[HEADER.indexOf('Notes')]!);
    expect(new Set(notes).size).toBe(1_000);
    expect([...notes].sort()).toEqual(values.map((value) => value.notes).sort());
    const dates = records.slice(1).map((record) => record[0]!);
    expect(dates).toEqual([...dates].sort());
    // Within the shared evening, the insertion (id) order.
    expect(notes.slice(0, 600)).toEqual(values.slice(0, 600).map((value) => value.notes));

    const rows = z.array(historyExportRowSchema).parse(await (await download('json', jar)).json());
    expect(rows.map((row) => row.notes)).toEqual(notes);
  });

  it('survives a reader that stalls and one that leaves halfway through a download of megabytes', async () => {
    const { jar, user } = await newUser('export-slow');
    for (let batch = 0; batch < 2; batch += 1) {
      await db()
        .insert(concerts)
        .values(
          Array.from({ length: 500 }, (_, i) => ({ userId: user.id, concertDate: '2014-01-01', notes: `${batch * 500 + i} ${'x'.repeat(4_000)}` })),
        );
    }
    const url = new URL(`${app.url}/api/export/history.csv`);
    // Uncompressed, so the server's writes outrun what the socket takes while the reader waits.
    const request = (onResponse: (response: IncomingMessage) => void) =>
      httpGet(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { cookie: jar.cookie!, 'accept-encoding': 'identity' } },
        onResponse,
      );

    const body = await new Promise<Buffer>((resolve, reject) => {
      request((response) => {
        const parts: Buffer[] = [];
        response.once('data', (part: Buffer) => {
          parts.push(part);
          response.pause();
          setTimeout(() => {
            response.on('data', (more: Buffer) => parts.push(more));
            response.resume();
          }, 300);
        });
        response.on('end', () => resolve(Buffer.concat(parts)));
        response.on('error', reject);
      }).on('error', reject);
    });
    expect(body.length).toBeGreaterThan(4_000_000);
    expect(parseCsv(body.subarray(3).toString('utf8'))).toHaveLength(1_001);

    await new Promise<void>((resolve, reject) => {
      const req = request((response) => {
        response.once('data', () => {
          req.destroy();
          resolve();
        });
      }).on('error', (error) => (req.destroyed ? resolve() : reject(error)));
    });
    // The server let go of the abandoned download and answers the next one in full.
    const { records } = await csvOf(await download('csv', jar));
    expect(records).toHaveLength(1_001);
  });
});

describe('deleting an account', () => {
  /** One row in every user-scoped table, and objects in storage, for a user. */
  async function fillAccount(userId: number) {
    const [source] = await db().insert(sources).values({ userId, kind: 'upload', label: 'Uploaded photos' });
    const sourceId = source.insertId;
    const [scan] = await db().insert(scans).values({ userId, sourceId, status: 'running', activeSourceId: sourceId });
    const [venue] = await db()
      .insert(venues)
      .values({ name: `Hall ${userId} ${tag}`, latitude: 51.9, longitude: 4.47 });
    const [artist] = await db()
      .insert(artists)
      .values({ name: `Artist ${userId} ${tag}` });
    // And a venue and an artist of the user's own (names they typed): those go with the account.
    await db()
      .insert(venues)
      .values({ name: `Own hall ${userId} ${tag}`, latitude: 51.9, longitude: 4.47, source: 'user', userId });
    await db()
      .insert(artists)
      .values({ name: `Own artist ${userId} ${tag}`, source: 'user', userId });
    const [festival] = await db()
      .insert(festivals)
      .values({ userId, name: 'Weekend', siteKey: 'hall', siteName: 'Hall', firstDate: '2020-02-02', lastDate: '2020-02-02', source: 'user' });
    const [concert] = await db()
      .insert(concerts)
      .values({ userId, concertDate: '2020-02-02', artistId: artist.insertId, venueId: venue.insertId, festivalId: festival.insertId });
    await db()
      .insert(festivalActs)
      .values({ userId, festivalId: festival.insertId, dayDate: '2020-02-02', artistId: artist.insertId, position: 0, concertId: concert.insertId });
    const [group] = await db().insert(duplicateGroups).values({ userId, kind: 'exact' });
    fileCounter += 1;
    const [photo] = await db()
      .insert(photos)
      .values({
        userId,
        sourceId,
        scanId: scan.insertId,
        sourceFileId: `upload-${fileCounter}`,
        fileName: 'a.jpg',
        status: 'ready',
        starred: true,
        contentHash: 'ab'.repeat(32),
        concertId: concert.insertId,
        duplicateGroupId: group.insertId,
      });
    await db()
      .insert(processedFiles)
      .values({
        userId,
        sourceId,
        fileId: `upload-${fileCounter}`,
        fingerprint: 'f',
        outcome: 'ingested',
        photoId: photo.insertId,
        processedAt: new Date(),
      });
    const storageId = randomUUID();
    await db().insert(uploads).values({ userId, sourceId, storageId, fileName: 'a.jpg', byteSize: 3 });
    await db().insert(venueAliases).values({ userId, venueId: venue.insertId, latitude: 51.9, longitude: 4.47 });
    const [historyExport] = await db().insert(historyExports).values({ userId, format: 'csv', status: 'completed' });
    await db().insert(mailDeliveries).values({ userId, kind: 'milestone', idempotencyKey: 'milestone:10', status: 'sent' });
    const { storage } = app.services;
    await storage.put(`users/${userId}/exports/${historyExport.insertId}.csv`, Buffer.from('Date'), 'text/csv');
    await storage.put(`users/${userId}/thumbnails/${'ab'.repeat(32)}.webp`, Buffer.from('thumb'), 'image/webp');
    await storage.put(`users/${userId}/variants/${'ab'.repeat(32)}/400.webp`, Buffer.from('v400'), 'image/webp');
    await storage.put(`users/${userId}/uploads/${sourceId}/${storageId}`, Buffer.from('jpg'), 'image/jpeg');
    // The scan is live in Redis too, as a running scan is.
    await app.services.repositories.scanProgress.init(scan.insertId);
    await app.services.repositories.scanProgress.markRunning(scan.insertId);
    return { sourceId, scanId: scan.insertId, photoId: photo.insertId, venueId: venue.insertId, artistId: artist.insertId };
  }

  async function rowCounts(userId: number) {
    const counts: Record<string, number> = {};
    for (const table of Object.values(USER_SCOPED_TABLES)) {
      const [row] = await db().select({ n: count() }).from(table).where(eq(table.userId, userId));
      counts[getTableName(table)] = row!.n;
    }
    const [user] = await db().select({ n: count() }).from(users).where(eq(users.id, userId));
    counts.users = user!.n;
    return counts;
  }

  async function storedKeys(userId: number) {
    const keys: string[] = [];
    for await (const page of app.services.storage.list(`users/${userId}/`)) keys.push(...page.map((object) => object.key));
    return keys.sort();
  }

  it('knows every table with a user_id column in the migrated database', async () => {
    const [rows] = (await db().execute(
      sql`SELECT TABLE_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'user_id'`,
    )) as unknown as [Array<{ name: string }>];
    expect(
      Object.values(USER_SCOPED_TABLES)
        .map((table) => getTableName(table))
        .sort(),
    ).toEqual(rows.map((row) => row.name).sort());
  });

  it('refuses a wrong password and deletes nothing', async () => {
    const fan = await newUser('delete-wrong');
    await fillAccount(fan.user.id);
    const before = await rowCounts(fan.user.id);
    const error = await failure(fan.client.auth.deleteAccount.mutate({ password: 'not my password' }));
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe('That password is not correct, so nothing was deleted');
    expect(await rowCounts(fan.user.id)).toEqual(before);
    expect(await storedKeys(fan.user.id)).toHaveLength(4);
    // Still logged in.
    expect(await fan.client.auth.me.query()).toMatchObject({ id: fan.user.id });
  });

  it('removes every row and stored object of the user, nothing of another user or shared, and ends the session', async () => {
    const fan = await newUser('delete');
    const other = await newUser('delete-other');
    const mine = await fillAccount(fan.user.id);
    const theirs = await fillAccount(other.user.id);
    const otherBefore = await rowCounts(other.user.id);
    const otherKeys = await storedKeys(other.user.id);
    expect(Object.values(await rowCounts(fan.user.id)).every((n) => n >= 1)).toBe(true);
    const cookie = fan.jar.cookie!;
    const otherDevice = trpcHttpClient(app.url);
    await otherDevice.client.auth.login.mutate({ email: fan.email, password: PASSWORD });
    expect(await otherDevice.client.auth.me.query()).toMatchObject({ id: fan.user.id });

    expect(await fan.client.auth.deleteAccount.mutate({ password: PASSWORD })).toEqual({ ok: true });

    expect(Object.values(await rowCounts(fan.user.id)).every((n) => n === 0)).toBe(true);
    expect(await storedKeys(fan.user.id)).toEqual([]);
    expect(await rowCounts(other.user.id)).toEqual(otherBefore);
    expect(await storedKeys(other.user.id)).toEqual(otherKeys);
    // Shared artists and venues (setlist.fm, OpenStreetMap) stay.
    expect(
      await db()
        .select({ id: venues.id })
        .from(venues)
        .where(inArray(venues.id, [mine.venueId, theirs.venueId])),
    ).toHaveLength(2);
    expect(await db().select({ id: artists.id }).from(artists).where(eq(artists.id, mine.artistId))).toHaveLength(1);

    // The session is over: the browser was told to drop the cookie, and the old cookie opens nothing.
    expect(fan.jar.cookie).toBeUndefined();
    const replay = trpcHttpClient(app.url);
    replay.jar.cookie = cookie;
    expect(await replay.client.auth.me.query()).toBeNull();
    expect((await fetch(`${app.url}/api/export/history.csv`, { headers: { cookie } })).status).toBe(401);
    // And the account cannot be logged into again.
    const login = await failure(trpcHttpClient(app.url).client.auth.login.mutate({ email: fan.email, password: PASSWORD }));
    expect(login.data?.code).toBe('UNAUTHORIZED');
    // A session on another device ended too.
    expect(await otherDevice.client.auth.me.query()).toBeNull();
    // The other user is untouched and still logged in.
    expect(await other.client.auth.me.query()).toMatchObject({ id: other.user.id });

    // Jobs still queued for the deleted user end quietly: the running scan was cancelled, the photo is gone.
    const { scanId, sourceId, photoId } = mine;
    expect(await app.services.repositories.scanProgress.isCancelled(scanId)).toBe(true);
    const file = { fileId: 'upload-late', name: 'late.jpg', mimeType: 'image/jpeg', size: 3, fingerprint: 'late' };
    const userId = fan.user.id;
    const run = jobRunner(workerServicesOf(app));
    expect(await run('ingest-photo', { scanId, userId, sourceId, file })).toEqual({ skipped: 'cancelled' });
    expect(await run('scan-source', { scanId, userId, sourceId })).toEqual({ skipped: 'cancelled' });
    expect(await run('dedup-scan', { scanId, userId })).toEqual({ skipped: 'cancelled' });
    expect(await run('render-variants', { userId, photoId })).toEqual({ skipped: 'gone' });
    expect(Object.values(await rowCounts(fan.user.id)).every((n) => n === 0)).toBe(true);
  });
});
