/**
 * Background history exports (`exports.start` / `exports.get`, queue `export`):
 * CSV, JSON and the PDF concert book built by a real worker process into local
 * storage, with progress in the database, handed out through signed, expiring
 * download links; a long history read page by page; failures and expiry recorded.
 */
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { artists, concerts, festivals, historyExports, photos, venues } from '../../drizzle/schema/index.js';
import type { HistoryExportFormat } from '../../shared/export.js';
import { historyExportRowSchema } from '../../shared/export.schema.js';
import { findBookFonts } from '../../server/exports/pdf-fonts.js';
import { createLogger } from '../../server/logger.js';
import { jobIdOf } from '../../server/queue/job-ids.js';
import { EXPORT_RETENTION_MS } from '../../server/services/history-export.service.js';
import { HistoryExportBuilder } from '../../server/services/history-export-builder.service.js';
import { ExportService } from '../../server/services/export.service.js';
import { storageKeys } from '../../server/storage/storage-keys.js';
import type { ObjectStorage } from '../../server/storage/storage.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { signedUpClient, trpcHttpClient, trpcFailure as failure } from '../support/trpc-http-client.js';
import { jobRunner, workerServicesOf } from '../support/worker-jobs.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

let app: RunningApp;
let worker: Child;
beforeAll(async () => {
  const env = { DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-exports-')) };
  app = await startTestApp(env);
  worker = await startWorkerProcess(testEnv(env));
}, 240_000);
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
});

const db = () => app.database.db;
const logger = createLogger({ logLevel: 'silent' });
// Artists and venues are shared by every test file of the run: names carry this run's tag.
const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;
const TODAY = () => new Date().toISOString().slice(0, 10);

type Client = ReturnType<typeof trpcHttpClient>['client'];

const newUser = (label: string) => signedUpClient(app.url, label);

/** Asks until the export is built (or failed), remembering every state it was seen in; the test's timeout bounds the wait. */
async function built(client: Client, exportId: number) {
  const seen = [];
  for (;;) {
    const state = await client.exports.get.query({ exportId });
    seen.push(state);
    if (state.status !== 'queued' && state.status !== 'running') return { state, seen };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function exportOf(client: Client, format: HistoryExportFormat) {
  const { exportId } = await client.exports.start.mutate({ format });
  const { state } = await built(client, exportId);
  expect(state).toMatchObject({ exportId, format, status: 'completed' });
  const response = await fetch(`${app.url}${state.url!}`);
  expect(response.status).toBe(200);
  return { exportId, state, response, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function rowOf(exportId: number) {
  const [row] = await db().select().from(historyExports).where(eq(historyExports.id, exportId));
  return row!;
}

/** RFC 4180: CRLF between records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += char;
  }
  return records;
}

async function pdfPages(bytes: Buffer) {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { totalPages, text } = await extractText(pdf, { mergePages: false });
  return { totalPages, text: text.map((page) => page.replace(/\s+/g, ' ')), images: imagesPerPage(bytes) };
}

/**
 * How many images each page draws, from the pages' resource dictionaries (pdf.js's
 * operator lists need a newer Node than 20). The dictionaries are plain text; only
 * the streams are compressed, and they are cut out first.
 */
function imagesPerPage(bytes: Buffer): number[] {
  const objects = bytes.toString('latin1').replace(/stream\r?\n[\s\S]*?endstream/g, '');
  const resources = new Map([...objects.matchAll(/(\d+) 0 obj\s*<<([\s\S]*?)>>\s*endobj/g)].map((match) => [match[1]!, match[2]!]));
  return [...objects.matchAll(/\/Type \/Page\s[\s\S]*?\/Resources (\d+) 0 R/g)].map((page) => {
    const xObjects = /\/XObject <<([^>]*)>>/.exec(resources.get(page[1]!) ?? '')?.[1] ?? '';
    return (xObjects.match(/\/I\d+ \d+ 0 R/g) ?? []).length;
  });
}

/** A starred photo with its 400 px WebP rendition in storage, as the image worker leaves one. */
async function starredPhoto(userId: number, concertId: number, seed: number, takenAt: Date) {
  const contentHash = createHash('sha256').update(`${tag}-${userId}-${seed}`).digest('hex');
  const prefix = storageKeys.variantsPrefix(userId, contentHash);
  const webp = await sharp(await makeStagePhoto({ seed, width: 800, height: 600 }))
    .resize({ width: 400 })
    .webp()
    .toBuffer();
  await app.services.storage.put(storageKeys.variant(userId, contentHash, 400), webp, 'image/webp');
  await db()
    .insert(photos)
    .values({
      userId,
      sourceId: 1,
      sourceFileId: `export-fixture/${contentHash}.jpg`,
      fileName: `IMG_${seed}.JPG`,
      status: 'ready',
      concertId,
      starred: true,
      contentHash,
      variantsKey: prefix,
      takenAt,
      width: 800,
      height: 600,
    });
}

/** Three concerts: one with everything (and three starred photos), one with a Cyrillic name, one that still needs review. */
async function history(userId: number) {
  const [artist] = await db()
    .insert(artists)
    .values({ name: `Nick Cave, "the" Bad Seeds ${tag}` });
  const [russian] = await db()
    .insert(artists)
    .values({ name: `Мумий Тролль ${tag}` });
  const [venue] = await db()
    .insert(venues)
    .values({ name: `Paradiso ${tag}`, city: 'Amsterdam', countryCode: 'NL', latitude: 52.3622, longitude: 4.884 });
  const [first] = await db()
    .insert(concerts)
    .values({
      userId,
      concertDate: '2017-10-02',
      artistId: artist.insertId,
      venueId: venue.insertId,
      status: 'confirmed',
      tour: 'Skeleton Tree Tour',
      supportingActs: [{ name: 'Opener One' }],
      setlist: [
        { songs: [{ name: 'Intro', tape: true }, { name: 'Anthrocene' }, { name: 'Jesus Alone' }] },
        { encore: 1, songs: [{ name: 'Push the Sky Away' }] },
      ],
      notes: 'Front row, "unforgettable"',
    });
  // The second concert is an act seen at a festival: the files name it.
  const [festival] = await db()
    .insert(festivals)
    .values({
      userId,
      name: `Paradiso Weekend ${tag}`,
      siteKey: 'paradiso',
      siteName: 'Paradiso',
      firstDate: '2018-03-02',
      lastDate: '2018-03-02',
      source: 'user',
    });
  const [second] = await db()
    .insert(concerts)
    .values({
      userId,
      festivalId: festival.insertId,
      concertDate: '2018-03-02',
      artistId: russian.insertId,
      venueId: venue.insertId,
      status: 'confirmed',
      setlist: [{ songs: [{ name: 'Владивосток 2000' }, { name: 'Утекай' }] }],
    });
  const [third] = await db()
    .insert(concerts)
    .values({ userId, concertDate: '2019-06-21', city: 'Utrecht', countryCode: 'NL', status: 'needs_review' });
  for (const seed of [1, 2, 3, 4]) await starredPhoto(userId, first.insertId, seed, new Date(Date.UTC(2017, 9, 2, 20, seed)));
  await app.services.viewCache.bumpUser(userId);
  return { ids: [first.insertId, second.insertId, third.insertId] };
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

describe('background exports of the history', () => {
  it('builds a CSV in the worker, with progress in the database, downloaded as an attachment through its signed link', async () => {
    const { client, user } = await newUser('export-csv');
    await history(user.id);
    const { exportId, state, response, bytes } = await exportOf(client, 'csv');

    expect(state).toMatchObject({ done: 3, total: 3, byteSize: bytes.length, fileName: `concert-history-${TODAY()}.csv` });
    expect(state.expiresAt!.getTime() - state.completedAt!.getTime()).toBe(EXPORT_RETENTION_MS);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="concert-history-${TODAY()}.csv"`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(bytes.subarray(3).toString('utf8'))).toEqual([
      HEADER,
      [
        '2017-10-02',
        `Nick Cave, "the" Bad Seeds ${tag}`,
        '',
        `Paradiso ${tag}`,
        'Amsterdam',
        'NL',
        'Skeleton Tree Tour',
        '',
        'confirmed',
        'Opener One',
        'Intro (tape); Anthrocene; Jesus Alone; Push the Sky Away',
        '3',
        '4',
        '4',
        'Front row, "unforgettable"',
        '',
      ],
      [
        '2018-03-02',
        `Мумий Тролль ${tag}`,
        '',
        `Paradiso ${tag}`,
        'Amsterdam',
        'NL',
        '',
        `Paradiso Weekend ${tag}`,
        'confirmed',
        '',
        'Владивосток 2000; Утекай',
        '2',
        '0',
        '0',
        '',
        '',
      ],
      ['2019-06-21', '', '', '', 'Utrecht', 'NL', '', '', 'needs_review', '', '', '0', '0', '0', '', ''],
    ]);

    const row = await rowOf(exportId);
    expect(row).toMatchObject({
      userId: user.id,
      format: 'csv',
      status: 'completed',
      done: 3,
      total: 3,
      byteSize: bytes.length,
      error: null,
      storageKey: storageKeys.exportFile(user.id, exportId, 'csv'),
    });
    expect(await app.services.storage.read(row.storageKey!)).toEqual(bytes);
    // Its file is deleted when the retention is over: a delayed job waits for that in Redis.
    const expiry = await app.services.queues.queue('export').getJob(jobIdOf('expire-export', { exportId, userId: user.id }));
    expect(expiry?.opts.delay).toBe(EXPORT_RETENTION_MS);
    expect(expiry?.data).toEqual({ exportId, userId: user.id });
  });

  it('builds JSON that matches the documented row schema', async () => {
    const { client, user } = await newUser('export-json');
    await history(user.id);
    const { state, response, bytes } = await exportOf(client, 'json');
    expect(state.fileName).toBe(`concert-history-${TODAY()}.json`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="concert-history-${TODAY()}.json"`);
    const rows = z.array(historyExportRowSchema).parse(JSON.parse(bytes.toString('utf8')));
    expect(rows.map((row) => [row.date, row.artist, row.songCount, row.photoCount, row.starredCount])).toEqual([
      ['2017-10-02', `Nick Cave, "the" Bad Seeds ${tag}`, 3, 4, 4],
      ['2018-03-02', `Мумий Тролль ${tag}`, 2, 0, 0],
      ['2019-06-21', null, 0, 0, 0],
    ]);
    expect(rows[0]!.setlist).toEqual([
      { name: 'Intro', tape: true },
      { name: 'Anthrocene', tape: false },
      { name: 'Jesus Alone', tape: false },
      { name: 'Push the Sky Away', tape: false },
    ]);
  });

  it('builds the PDF concert book: a cover and a page per concert with artist, venue, date, setlist and up to three starred photos', async () => {
    const { client, user } = await newUser('export-pdf');
    await history(user.id);
    const { state, response, bytes } = await exportOf(client, 'pdf');
    expect(state.fileName).toBe(`concert-book-${TODAY()}.pdf`);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="concert-book-${TODAY()}.pdf"`);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const { totalPages, text, images } = await pdfPages(bytes);
    expect(totalPages).toBe(4);
    expect(text[0]).toContain('Concert book');
    expect(text[0]).toContain('3 concerts');

    const [first, second, third] = text.slice(1);
    for (const expected of [
      'Monday, 2 October 2017',
      `Nick Cave, "the" Bad Seeds ${tag}`,
      `Paradiso ${tag}, Amsterdam, NL`,
      'Skeleton Tree Tour',
      'With Opener One',
      'Front row, "unforgettable"',
      'Setlist',
      'Intro (tape)',
      '1. Anthrocene',
      '2. Jesus Alone',
      'Encore:',
      '3. Push the Sky Away',
      '4 photos, 4 starred',
      'Concert 1 of 3',
    ]) {
      expect(first).toContain(expected);
    }
    // The DejaVu font draws Cyrillic where the machine has it; without it the letters would be "?".
    const cyrillic = findBookFonts().embedded;
    for (const expected of [
      'Friday, 2 March 2018',
      `Мумий Тролль ${tag}`,
      `At Paradiso Weekend ${tag}`,
      '1. Владивосток 2000',
      '2. Утекай',
      'Concert 2 of 3',
    ]) {
      expect(second).toContain(cyrillic ? expected : expected.replace(/[^\x20-\xff]/g, '?'));
    }
    for (const expected of ['Friday, 21 June 2019', 'Unknown artist', 'Utrecht, NL', 'Not confirmed yet', 'No setlist yet', 'Concert 3 of 3']) {
      expect(third).toContain(expected);
    }
    // Three of the four starred photos (the first taken), on the first concert's page only.
    expect(images).toEqual([0, 3, 0, 0]);
  });

  it('shows an empty history as a header, an empty array and a cover page', async () => {
    const { client } = await newUser('export-empty');
    const csv = await exportOf(client, 'csv');
    expect(parseCsv(csv.bytes.subarray(3).toString('utf8'))).toEqual([HEADER]);
    expect(csv.state).toMatchObject({ done: 0, total: 0 });
    expect(JSON.parse((await exportOf(client, 'json')).bytes.toString('utf8'))).toEqual([]);
    const { totalPages, text } = await pdfPages((await exportOf(client, 'pdf')).bytes);
    expect(totalPages).toBe(1);
    expect(text[0]).toContain('No concerts yet');
  });

  it('refuses a tampered, stripped or expired download link, and links of one export never open another', async () => {
    const { client, user } = await newUser('export-link');
    await history(user.id);
    const { exportId, state } = await exportOf(client, 'csv');
    const url = new URL(state.url!, app.url);
    expect(url.pathname).toBe(`/media/${storageKeys.exportFile(user.id, exportId, 'csv')}`);
    const status = async (change: (url: URL) => void) => {
      const changed = new URL(url);
      change(changed);
      const response = await fetch(changed);
      return { status: response.status, body: (await response.json()) as { error: { code: string } } };
    };
    // Another name (or content type, through the extension) for the file.
    expect(await status((u) => u.searchParams.set('d', 'concert-history.html'))).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN' } },
    });
    // Not an attachment any more: shown inline, and cacheable like a photo.
    expect((await status((u) => u.searchParams.delete('d'))).status).toBe(403);
    expect((await status((u) => u.searchParams.set('e', String(Number(u.searchParams.get('e')) + 3600)))).status).toBe(403);
    expect((await status((u) => u.searchParams.set('s', `${u.searchParams.get('s')!.slice(0, -2)}AA`))).status).toBe(403);
    expect((await status((u) => (u.pathname = u.pathname.replace(`/${exportId}.csv`, `/${exportId + 1}.csv`)))).status).toBe(403);
    expect((await status((u) => (u.pathname = u.pathname.replace('.csv', '.pdf')))).status).toBe(403);

    // A link is short-lived: one made two hours ago has expired.
    const old = app.services.mediaUrls.downloadUrl(storageKeys.exportFile(user.id, exportId, 'csv'), state.fileName, 3600, Date.now() - 2 * 3600_000);
    const expired = await fetch(`${app.url}${old}`);
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ error: { code: 'EXPIRED' } });
    // The link that was handed out lives an hour at most.
    expect(Number(url.searchParams.get('e')) * 1000 - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  it("answers NOT_FOUND for another user's export and UNAUTHORIZED without a session", async () => {
    const owner = await newUser('export-owner');
    const other = await newUser('export-other');
    await history(owner.user.id);
    const { exportId } = await exportOf(owner.client, 'json');
    const error = await failure(other.client.exports.get.query({ exportId }));
    expect(error.data?.code).toBe('NOT_FOUND');
    expect(await other.client.exports.list.query()).toEqual([]);
    expect((await failure(trpcHttpClient(app.url).client.exports.get.query({ exportId }))).data?.code).toBe('UNAUTHORIZED');
    expect((await failure(trpcHttpClient(app.url).client.exports.start.mutate({ format: 'csv' }))).data?.code).toBe('UNAUTHORIZED');
    expect((await failure(owner.client.exports.start.mutate({ format: 'xlsx' as 'csv' }))).data?.code).toBe('BAD_REQUEST');
    expect((await failure(owner.client.exports.get.query({ exportId: -1 }))).data?.code).toBe('BAD_REQUEST');
  });

  it('answers the export already being built instead of starting a second one of the same format', async () => {
    const { client, user } = await newUser('export-once');
    await history(user.id);
    // An export of this user's still being built (its job is lost: starting again queues it anew).
    const [building] = await db().insert(historyExports).values({ userId: user.id, format: 'pdf', status: 'running' });
    const again = await Promise.all([client.exports.start.mutate({ format: 'pdf' }), client.exports.start.mutate({ format: 'pdf' })]);
    expect(again).toEqual([{ exportId: building.insertId }, { exportId: building.insertId }]);
    const csv = await client.exports.start.mutate({ format: 'csv' });
    expect(csv.exportId).not.toBe(building.insertId);
    expect((await built(client, building.insertId)).state.status).toBe('completed');
    expect((await built(client, csv.exportId)).state.status).toBe('completed');
    expect(await db().select({ id: historyExports.id }).from(historyExports).where(eq(historyExports.userId, user.id))).toHaveLength(2);
    // Once built, a new one may start.
    expect((await client.exports.start.mutate({ format: 'pdf' })).exportId).not.toBe(building.insertId);
    expect((await client.exports.list.query()).map((item) => item.format)).toEqual(['pdf', 'csv', 'pdf']);
  });

  it('records why an export failed on its last attempt only, for the user to see', async () => {
    const { client, user } = await newUser('export-fail');
    await history(user.id);
    // Storage that refuses the export's file (a full disk, a bucket without write access).
    const refusing: ObjectStorage = Object.assign(Object.create(app.services.storage) as ObjectStorage, {
      put: async () => {
        throw new Error('S3 put of s3://bucket/key failed: AccessDenied');
      },
    });
    const r = app.services.repositories;
    const builder = new HistoryExportBuilder(r.historyExports, new ExportService(r.exportRows), r.exportRows, refusing, app.services.queues);
    // The export job as a worker runs it, on that storage.
    const run = jobRunner({ ...workerServicesOf(app), historyExportBuilder: builder });
    const { id: exportId } = await r.historyExports.insertUnlessBuilding(user.id, 'pdf');

    await expect(run('build-export', { exportId, userId: user.id }, { attempt: { number: 1, of: 3 } })).rejects.toThrow(/AccessDenied/);
    expect(await rowOf(exportId)).toMatchObject({ status: 'running', error: null });
    expect(await client.exports.get.query({ exportId })).toMatchObject({ status: 'running' });

    expect(await run('build-export', { exportId, userId: user.id }, { attempt: { number: 3, of: 3 } })).toEqual({
      failed: 'S3 put of s3://bucket/key failed: AccessDenied (gave up after 3 attempts)',
    });
    expect(await rowOf(exportId)).toMatchObject({ status: 'failed', storageKey: null });
    const state = await client.exports.get.query({ exportId });
    expect(state).toMatchObject({
      status: 'failed',
      error: 'The export could not be built: S3 put of s3://bucket/key failed: AccessDenied (gave up after 3 attempts)',
    });
    expect(state.url).toBeUndefined();
    // A failed export does not block the next one.
    expect((await client.exports.start.mutate({ format: 'pdf' })).exportId).not.toBe(exportId);
  });

  it('deletes the file when its retention is over and stops offering it', async () => {
    const { client, user } = await newUser('export-expire');
    await history(user.id);
    const { exportId, state } = await exportOf(client, 'json');
    const key = storageKeys.exportFile(user.id, exportId, 'json');
    expect(await app.services.storage.exists(key)).toBe(true);

    expect(await workerServicesOf(app).historyExportBuilder.expire({ exportId, userId: user.id }, logger)).toEqual({ outcome: 'expired' });
    expect(await app.services.storage.exists(key)).toBe(false);
    expect(await rowOf(exportId)).toMatchObject({ status: 'completed', storageKey: null });
    const after = await client.exports.get.query({ exportId });
    expect(after).toMatchObject({ status: 'expired', byteSize: null, expiresAt: null });
    expect(after.url).toBeUndefined();
    expect((await fetch(`${app.url}${state.url!}`)).status).toBe(404);
    // Past the retention a link is not offered even while the file is still there.
    const [row] = await db().select().from(historyExports).where(eq(historyExports.id, exportId));
    const late = app.services.historyExports.present({ ...row!, storageKey: key }, row!.completedAt!.getTime() + EXPORT_RETENTION_MS + 1);
    expect(late.status).toBe('expired');
  });

  describe('a history of 1,000 concerts', () => {
    let userId: number;
    let client: Client;
    beforeAll(async () => {
      ({
        client,
        user: { id: userId },
      } = await newUser('export-long'));
      // 600 on one evening: the 500-concert page boundary falls inside a date, where only the id orders them.
      await db()
        .insert(concerts)
        .values(
          Array.from({ length: 1_000 }, (_, i) => ({
            userId,
            concertDate: i < 600 ? '2015-06-01' : `2016-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
            notes: `concert #${i}`,
            setlist: [{ songs: [{ name: `Song of ${i}` }] }],
          })),
        );
      await app.services.viewCache.bumpUser(userId);
    });

    /** Builds in this process (the same code the worker runs), watching how the history is read and progress saved. */
    async function buildWatched(format: HistoryExportFormat) {
      const r = app.services.repositories;
      const pages = vi.spyOn(r.exportRows, 'page');
      const progress = vi.spyOn(r.historyExports, 'saveProgress');
      try {
        const { id: exportId } = await r.historyExports.insertUnlessBuilding(userId, format);
        const result = await workerServicesOf(app).historyExportBuilder.build({ exportId, userId }, logger);
        expect(result).toMatchObject({ outcome: 'completed', concerts: 1_000 });
        const state = await client.exports.get.query({ exportId });
        expect(state).toMatchObject({ status: 'completed', done: 1_000, total: 1_000 });
        const bytes = Buffer.from(await (await fetch(`${app.url}${state.url!}`)).arrayBuffer());
        // Copies: restoring the spies below clears what they recorded.
        return {
          pageCalls: [...pages.mock.calls],
          pageOrder: [...pages.mock.invocationCallOrder],
          progressCalls: [...progress.mock.calls],
          progressOrder: [...progress.mock.invocationCallOrder],
          bytes,
        };
      } finally {
        pages.mockRestore();
        progress.mockRestore();
      }
    }

    function expectPaged(run: Awaited<ReturnType<typeof buildWatched>>) {
      // Three bounded reads (500, 500, and the empty one that ends it), each after the last concert of the one before.
      expect(run.pageCalls.map(([user, after, limit]) => [user, after === null ? null : after.concertDate, limit])).toEqual([
        [userId, null, 500],
        [userId, '2015-06-01', 500],
        [userId, expect.stringMatching(/^2016-/), 500],
      ]);
      // Progress every 50 concerts, and the first page was written out before the second was read.
      expect(run.progressCalls.map(([, , done]) => done)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 50));
      const fiveHundred = run.progressOrder[9]!;
      expect(fiveHundred).toBeGreaterThan(run.pageOrder[0]!);
      expect(fiveHundred).toBeLessThan(run.pageOrder[1]!);
    }

    it('exports it as CSV, reading it page by page', async () => {
      const run = await buildWatched('csv');
      expectPaged(run);
      const records = parseCsv(run.bytes.subarray(3).toString('utf8'));
      expect(records).toHaveLength(1_001);
      const notes = records.slice(1).map((record) => record[HEADER.indexOf('Notes')]);
      expect(new Set(notes).size).toBe(1_000);
      expect(notes.slice(0, 600)).toEqual(Array.from({ length: 600 }, (_, i) => `concert #${i}`));
    });

    it('exports it as a 1,001-page concert book, reading it page by page', async () => {
      const run = await buildWatched('pdf');
      expectPaged(run);
      const pdf = await getDocumentProxy(new Uint8Array(run.bytes));
      expect(pdf.numPages).toBe(1_001);
      const { text } = await extractText(pdf, { mergePages: false });
      expect(text[1]).toContain('Song of 0');
      expect(text[1]).toContain('Concert 1 of 1000');
      expect(text[1_000]).toContain('Concert 1000 of 1000');
    }, 120_000);
  });
});
