import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DriveRequestError } from '../../server/sources/google-drive/drive-client.js';
import { GoogleResponseFormatError } from '../../server/sources/google-drive/google-http.js';
import { createGoogleDriveSource, type GoogleDriveSourceOptions } from '../../server/sources/google-drive/google-drive-source.js';
import type { GoogleOAuthClient } from '../../server/sources/google-drive/oauth.js';
import {
  FileTooLargeError,
  SourceAccessError,
  SourceFileGoneError,
  SourceUnavailableError,
  type Listing,
  type ListingPage,
  type PhotoSource,
} from '../../server/sources/photo-source.js';
import { oauthClientFor, startFakeGoogle, type FakeGoogle } from '../fakes/fake-google.js';

/** Tiny waits: the tests are about which requests are retried, not about timing. */
const FAST_RETRY = { attempts: 4, baseDelayMs: 1, maxDelayMs: 50 };
const FILES_LIST = /^\/drive\/v3\/files$/;

function oauthFor(fake: FakeGoogle, now?: () => number): GoogleOAuthClient {
  return oauthClientFor(fake, { retry: FAST_RETRY, ...(now ? { now } : {}) });
}

/** Goes through the consent screen (which the fake approves) and exchanges the code, as the callback route does. */
async function connect(oauth: GoogleOAuthClient) {
  const redirectUri = 'http://127.0.0.1:9/api/sources/google/callback';
  const consent = await fetch(oauth.authorizationUrl({ state: 'test-state', redirectUri }), { redirect: 'manual' });
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  return oauth.exchangeCode(code, redirectUri);
}

async function collect(listing: Listing): Promise<{ pages: ListingPage[]; cursor: string | null }> {
  const pages: ListingPage[] = [];
  for (;;) {
    const step = await listing.next();
    if (step.done) return { pages, cursor: step.value };
    pages.push(step.value);
  }
}

/** The whole file as ingest opens it (streamed to a temporary file), read back; the temporary file is gone after. */
async function readWhole(source: PhotoSource, fileId: string, maxBytes = 10 * 1024 * 1024): Promise<Buffer> {
  const opened = await source.openFile(fileId, { maxBytes });
  expect(typeof opened.input).toBe('string');
  const path = opened.input as string;
  try {
    const bytes = await readFile(path);
    expect(bytes.length).toBe(opened.size);
    return bytes;
  } finally {
    await opened.release();
    expect(existsSync(path)).toBe(false);
  }
}

const drivesTemporaryFiles = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('ch-drive-')).sort();

const filesOf = (pages: ListingPage[]) => pages.flatMap((page) => page.files);
const removedOf = (pages: ListingPage[]) => pages.flatMap((page) => page.removedFileIds ?? []);

describe('a Google Drive library of 2,500 photos', () => {
  let fake: FakeGoogle;
  let options: GoogleDriveSourceOptions;
  beforeAll(async () => {
    fake = await startFakeGoogle({ images: 2500, imageSize: { width: 48, height: 36 } });
    const oauth = oauthFor(fake);
    options = { oauth, refreshToken: (await connect(oauth)).refreshToken, baseUrl: fake.driveApiUrl, retry: FAST_RETRY };
  });
  afterAll(() => fake.close());

  it('is listed in three pages of at most 1,000, every photo exactly once and nothing else', async () => {
    const { pages, cursor } = await collect(createGoogleDriveSource(options).list(null));

    expect(pages.map((page) => page.files.length)).toEqual([1000, 1000, 500]);
    const listedIds = filesOf(pages).map((file) => file.fileId);
    expect(new Set(listedIds).size).toBe(2500);
    expect(new Set(listedIds)).toEqual(new Set(fake.state.liveImages().map((file) => file.id)));
    expect(cursor).toBe(fake.state.startPageToken());

    const listRequests = fake.state.requestsTo(FILES_LIST);
    expect(listRequests).toHaveLength(3);
    expect(listRequests[0]!.query).toMatchObject({
      q: "(mimeType contains 'image/' or mimeType contains 'video/') and trashed = false",
      pageSize: '1000',
      spaces: 'drive',
      supportsAllDrives: 'true',
    });
    expect(listRequests[0]!.query.fields).toContain('imageMediaMetadata(time, location, width, height, rotation, cameraMake, cameraModel)');
    expect(listRequests[0]!.query.fields).toContain('videoMediaMetadata(width, height, durationMillis)');
    expect(listRequests[0]!.query.pageToken).toBeUndefined();
    expect(listRequests[2]!.query.pageToken).toBeTruthy();
    expect(fake.state.downloads()).toHaveLength(0);
  });
});

describe('Google Drive source', () => {
  let fake: FakeGoogle;
  let oauth: GoogleOAuthClient;
  let refreshToken: string;
  const source = (overrides: Partial<GoogleDriveSourceOptions> = {}) =>
    createGoogleDriveSource({ oauth, refreshToken, baseUrl: fake.driveApiUrl, retry: FAST_RETRY, ...overrides });

  beforeEach(async () => {
    fake = await startFakeGoogle({ images: 12 });
    oauth = oauthFor(fake);
    refreshToken = (await connect(oauth)).refreshToken;
  });
  afterEach(() => fake.close());

  describe('listing', () => {
    it('maps Drive metadata onto each file, with the capture time kept as floating wall time', async () => {
      const { pages } = await collect(source().list(null));
      const stored = fake.state.liveImages().find((file) => file.imageMediaMetadata?.time && file.imageMediaMetadata.location)!;
      const listed = filesOf(pages).find((file) => file.fileId === stored.id)!;
      const [date, time] = stored.imageMediaMetadata!.time!.split(' ') as [string, string];

      expect(listed).toEqual({
        fileId: stored.id,
        name: stored.name,
        mimeType: 'image/jpeg',
        size: stored.bytes!.length,
        modifiedAt: new Date(stored.modifiedTime),
        fingerprint: stored.md5,
        metadata: {
          takenAt: new Date(`${date.replaceAll(':', '-')}T${time}Z`),
          latitude: stored.imageMediaMetadata!.location!.latitude,
          longitude: stored.imageMediaMetadata!.location!.longitude,
          width: 256,
          height: 192,
          rotation: 0,
          cameraMake: 'Apple',
          cameraModel: 'iPhone 12 mini',
          md5: stored.md5,
          hasThumbnail: true,
          thumbnailLink: `${fake.url}/thumbnails/${stored.id}=s220`,
        },
      });
    });

    it('leaves folders, documents, PDFs and trashed photos out', async () => {
      const { pages } = await collect(source().list(null));
      expect(
        filesOf(pages)
          .map((file) => file.fileId)
          .sort(),
      ).toEqual(
        fake.state
          .liveImages()
          .map((file) => file.id)
          .sort(),
      );
      expect(filesOf(pages).every((file) => file.mimeType === 'image/jpeg')).toBe(true);
      expect(fake.state.allFiles().length).toBeGreaterThan(fake.state.liveImages().length);
    });

    it('lists nothing and downloads nothing when rescanning an unchanged library', async () => {
      const first = await collect(source().list(null));
      const requestsBefore = fake.state.requests.length;

      const rescan = await collect(source().list(first.cursor));

      expect(filesOf(rescan.pages)).toEqual([]);
      expect(removedOf(rescan.pages)).toEqual([]);
      expect(rescan.cursor).toBe(first.cursor);
      const rescanRequests = fake.state.requests.slice(requestsBefore);
      expect(rescanRequests.map((r) => r.path)).toEqual(['/drive/v3/changes']);
      expect(fake.state.downloads()).toHaveLength(0);
    });

    it('sees photos added, edited, trashed and deleted since the last scan, across pages of changes', async () => {
      const { cursor } = await collect(source().list(null));
      const [edited, trashed, deleted] = fake.state.liveImages();
      const oldFingerprint = edited!.md5;
      const added = await fake.state.addImage({ name: 'encore.jpg' });
      await fake.state.modifyFile(edited!.id);
      fake.state.trashFile(trashed!.id);
      fake.state.deleteFile(deleted!.id);
      fake.state.addOtherFile('pdf');

      const rescan = await collect(source({ pageSize: 2 }).list(cursor));

      expect(
        filesOf(rescan.pages)
          .map((file) => file.fileId)
          .sort(),
      ).toEqual([added.id, edited!.id].sort());
      const editedFile = filesOf(rescan.pages).find((file) => file.fileId === edited!.id)!;
      expect(editedFile.fingerprint).not.toBe(oldFingerprint);
      expect(editedFile.fingerprint).toBe(fake.state.file(edited!.id)!.md5);
      expect(removedOf(rescan.pages).sort()).toEqual([trashed!.id, deleted!.id].sort());
      expect(fake.state.requestsTo('/drive/v3/changes').length).toBeGreaterThan(1);
      expect(rescan.cursor).toBe(fake.state.startPageToken());

      const third = await collect(source().list(rescan.cursor));
      expect(third.pages).toEqual([]);
    });

    it('sees a photo added during the first listing on the next scan', async () => {
      const listing = source({ pageSize: 5 }).list(null);
      await listing.next();
      const addedMeanwhile = await fake.state.addImage({ name: 'added-during-scan.jpg' });
      const { cursor } = await collect(listing);

      const rescan = await collect(source().list(cursor));

      expect(filesOf(rescan.pages).map((file) => file.fileId)).toContain(addedMeanwhile.id);
    });

    it('falls back to a full listing when Drive no longer accepts the stored cursor', async () => {
      const { pages, cursor } = await collect(source().list('987654321'));

      expect(filesOf(pages)).toHaveLength(fake.state.liveImages().length);
      expect(cursor).toBe(fake.state.startPageToken());
    });
  });

  describe('reading', () => {
    it('downloads a file byte for byte', async () => {
      const stored = fake.state.liveImages()[3]!;
      const bytes = await readWhole(source(), stored.id);
      expect(bytes.equals(stored.bytes!)).toBe(true);
      expect(fake.state.downloads()).toHaveLength(1);
    });

    it('refuses a file over the size limit from its Content-Length, without writing it, and leaves no temporary file', async () => {
      const stored = fake.state.liveImages()[4]!;
      const before = await drivesTemporaryFiles();
      await expect(readWhole(source(), stored.id, stored.bytes!.length - 1)).rejects.toBeInstanceOf(FileTooLargeError);
      expect(await drivesTemporaryFiles()).toEqual(before);
    });

    it('stops a download that grows past the limit when Drive sends no Content-Length', async () => {
      const stored = fake.state.liveImages()[5]!;
      // A raw answer goes out chunked: the size is known only while reading.
      fake.state.respondNext(`/drive/v3/files/${stored.id}`, 200, 'x'.repeat(64 * 1024));
      const before = await drivesTemporaryFiles();
      await expect(readWhole(source(), stored.id, 1024)).rejects.toThrow(new FileTooLargeError(1024).message);
      expect(await drivesTemporaryFiles()).toEqual(before);
    });

    it('reads a real JPEG thumbnail, asked at 400 px with the bearer token', async () => {
      const stored = fake.state.liveImages()[0]!;
      const thumbnail = await source().readThumbnail({ fileId: stored.id });

      expect(await sharp(thumbnail!).metadata()).toMatchObject({ format: 'jpeg', width: 256, height: 192 });
      expect(fake.state.requestsTo('/thumbnails/').map((r) => r.path)).toEqual([`/thumbnails/${stored.id}=s400`]);
      expect(fake.state.downloads()).toHaveLength(0);
    });

    it('has no thumbnail for a photo Drive made none for', async () => {
      const stored = await fake.state.addImage({ hasThumbnail: false });
      await expect(source().readThumbnail({ fileId: stored.id })).resolves.toBeNull();
    });

    it('reports a file deleted after the listing as gone, without retrying', async () => {
      const { pages } = await collect(source().list(null));
      const vanished = filesOf(pages)[0]!;
      fake.state.removeFile(vanished.fileId);

      await expect(readWhole(source(), vanished.fileId)).rejects.toBeInstanceOf(SourceFileGoneError);
      await expect(source().readThumbnail(vanished)).rejects.toBeInstanceOf(SourceFileGoneError);
      expect(fake.state.requestsTo(`/drive/v3/files/${vanished.fileId}`)).toHaveLength(2);
    });
  });

  describe('when Drive is unwell', () => {
    it('retries 429, 503 and 403 rate-limit answers and then succeeds', async () => {
      fake.state.failNext(FILES_LIST, 429);
      fake.state.failNext(FILES_LIST, 503);
      fake.state.failNext(FILES_LIST, 403, 1, { reason: 'rateLimitExceeded' });

      const { pages } = await collect(source().list(null));

      expect(filesOf(pages)).toHaveLength(12);
      expect(fake.state.requestsTo(FILES_LIST).map((r) => r.status)).toEqual([429, 503, 403, 200]);
    });

    it('retries a dropped connection and 500, 502 and 504 answers on a download', async () => {
      const stored = fake.state.liveImages()[0]!;
      const path = `/drive/v3/files/${stored.id}`;
      fake.state.failNext(path, 'connection-reset');
      fake.state.failNext(path, 500);
      fake.state.failNext(path, 502);
      fake.state.failNext(path, 504);

      const bytes = await readWhole(source({ retry: { ...FAST_RETRY, attempts: 5 } }), stored.id);

      expect(bytes.equals(stored.bytes!)).toBe(true);
      expect(fake.state.downloads().map((r) => r.status)).toEqual(['connection-reset', 500, 502, 504, 200]);
    });

    it('waits as long as Retry-After asks', async () => {
      fake.state.failNext(FILES_LIST, 429, 1, { retryAfter: 1 });
      const startedAt = performance.now();
      await collect(source({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5_000 } }).list(null));
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(950);
    });

    it('gives up with a SourceUnavailableError after the last attempt', async () => {
      fake.state.failNext(FILES_LIST, 503, 10);
      const failure = collect(source({ retry: { ...FAST_RETRY, attempts: 3 } }).list(null));
      await expect(failure).rejects.toBeInstanceOf(SourceUnavailableError);
      await expect(failure).rejects.toThrow(/files\.list answered 503: The service is currently unavailable\. \(gave up after 3 attempts\)/);
      expect(fake.state.requestsTo(FILES_LIST)).toHaveLength(3);
    });

    it('passes a long Retry-After on to the job instead of waiting for it', async () => {
      fake.state.failNext(FILES_LIST, 429, 1, { retryAfter: 120 });
      await expect(collect(source().list(null))).rejects.toMatchObject({ name: 'SourceUnavailableError', retryAfterMs: 120_000 });
      expect(fake.state.requestsTo(FILES_LIST)).toHaveLength(1);
    });

    it("fails at once on a 400 with Google's message", async () => {
      fake.state.failNext(FILES_LIST, 400, 1, { reason: 'invalid', message: 'Invalid field selection imageMediaMetadata' });
      const failure = collect(source().list(null));
      await expect(failure).rejects.toBeInstanceOf(DriveRequestError);
      await expect(failure).rejects.toThrow('Google Drive files.list answered 400: Invalid field selection imageMediaMetadata');
      expect(fake.state.requestsTo(FILES_LIST)).toHaveLength(1);
    });

    it('ends the scan with a SourceAccessError on a 403 that is not a rate limit', async () => {
      fake.state.failNext(FILES_LIST, 403, 1, {
        reason: 'insufficientPermissions',
        message: 'Insufficient Permission: Request had insufficient authentication scopes.',
      });
      await expect(collect(source().list(null))).rejects.toThrow(SourceAccessError);
      expect(fake.state.requestsTo(FILES_LIST)).toHaveLength(1);
    });

    it('explains a malformed answer instead of passing it on', async () => {
      fake.state.respondNext(FILES_LIST, 200, JSON.stringify({ kind: 'drive#fileList', files: [{ id: '1abc', mimeType: 'image/jpeg', size: 12 }] }));
      const failure = collect(source().list(null));
      await expect(failure).rejects.toBeInstanceOf(GoogleResponseFormatError);
      await expect(failure).rejects.toThrow(/Unexpected response from Google Drive files\.list: files\.0\.name: .*; files\.0\.size: /);
    });
  });

  describe('credentials', () => {
    it('refreshes an access token Google rejects as expired, and carries on', async () => {
      await collect(source().list(null));
      fake.state.expireAccessTokens();
      const refreshesBefore = fake.state.requestsTo('/token').length;

      const bytes = await readWhole(source(), fake.state.liveImages()[0]!.id);

      expect(bytes.length).toBeGreaterThan(0);
      expect(fake.state.requestsTo('/token').length).toBe(refreshesBefore + 1);
      expect(fake.state.downloads().map((r) => r.status)).toEqual([401, 200]);
    });

    it('refreshes an access token shortly before it expires, without a 401', async () => {
      let now = Date.now();
      const clockedOAuth = oauthFor(fake, () => now);
      const grant = await connect(clockedOAuth);
      const clockedSource = createGoogleDriveSource({
        oauth: clockedOAuth,
        refreshToken: grant.refreshToken,
        baseUrl: fake.driveApiUrl,
        retry: FAST_RETRY,
      });
      await readWhole(clockedSource, fake.state.liveImages()[0]!.id);
      expect(fake.state.requestsTo('/token')).toHaveLength(2);

      now += 3599 * 1000 - 30_000;
      await readWhole(clockedSource, fake.state.liveImages()[1]!.id);

      expect(fake.state.requestsTo('/token')).toHaveLength(3);
      expect(fake.state.requests.filter((r) => r.status === 401)).toEqual([]);
    });

    it('ends the scan with a SourceAccessError when the user revoked access', async () => {
      fake.state.revokeRefreshToken(refreshToken);
      const failure = collect(source().list(null));
      await expect(failure).rejects.toBeInstanceOf(SourceAccessError);
      await expect(failure).rejects.toThrow(/revoked or has expired; connect Google Drive again/);
    });
  });
});
