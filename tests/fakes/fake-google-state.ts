/**
 * Everything the fake Google remembers: one account's Drive library with its
 * change log, the OAuth grants and tokens it issued, injected faults and a log
 * of the requests it served. Tests drive it through the public methods.
 */
import { createHash, randomBytes } from 'node:crypto';
import { makeJpeg, seededRandom, type ImageSize } from './fake-images.js';

export interface FakeDriveFile {
  id: string;
  name: string;
  mimeType: string;
  /** Null for files without binary content (folders, Google Docs). */
  bytes: Buffer | null;
  md5: string | null;
  createdTime: string;
  modifiedTime: string;
  trashed: boolean;
  hasThumbnail: boolean;
  imageMediaMetadata?: FakeImageMediaMetadata;
  /** Drive's videoMediaMetadata of a video file (no time and no place: those are in the file). */
  videoMediaMetadata?: { width: number; height: number; durationMillis: string };
}

export interface FakeImageMediaMetadata {
  width: number;
  height: number;
  /** "YYYY:MM:DD HH:MM:SS", as Drive copies EXIF DateTimeOriginal. */
  time?: string;
  location?: { latitude: number; longitude: number; altitude: number };
  cameraMake?: string;
  cameraModel?: string;
  rotation: number;
}

export interface NewImage {
  name?: string;
  size?: ImageSize;
  /** EXIF-style wall time; null for none; default drawn from the seed. */
  time?: string | null;
  location?: { latitude: number; longitude: number } | null;
  hasThumbnail?: boolean;
  /** Drive's imageMediaMetadata.rotation: clockwise quarter turns from EXIF (the bytes and thumbnail stay as stored). */
  rotation?: number;
}

export type FaultStatus = 400 | 401 | 403 | 404 | 429 | 500 | 502 | 503 | 504 | 'connection-reset';

export interface FaultOptions {
  /** Seconds, sent as a Retry-After header. */
  retryAfter?: number;
  /** Google's error reason, e.g. rateLimitExceeded or userRateLimitExceeded (the 403 default). */
  reason?: string;
  message?: string;
  /** The parameter the error is about, e.g. pageToken. */
  location?: string;
}

export interface Fault {
  pattern: string | RegExp;
  status: FaultStatus;
  remaining: number;
  options: FaultOptions;
  /** A canned body sent as-is instead of Google's error format (to test malformed responses). */
  rawBody?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | 'connection-reset';
}

export interface Grant {
  refreshToken: string;
  scopes: string[];
  revoked: boolean;
}

interface ChangeEntry {
  changeId: number;
  fileId: string;
  time: string;
}

export interface FakeAccount {
  sub: string;
  email: string;
}

export type Consent = 'approve' | 'deny' | 'withhold-drive';

export class FakeGoogleState {
  readonly requests: RecordedRequest[] = [];
  readonly grants = new Map<string, Grant>();
  readonly accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  readonly codes = new Map<string, { grant: Grant; redirectUri: string; used: boolean }>();
  /** Query parameters of every consent-screen visit, for assertions on the authorization URL. */
  readonly authorizationRequests: Record<string, string>[] = [];
  nextConsent: Consent = 'approve';

  private readonly files = new Map<string, FakeDriveFile>();
  private readonly changeLog: ChangeEntry[] = [];
  private nextChangeId = 1;
  private faults: Fault[] = [];
  private seed = 0;
  private clockMs = Date.parse('2024-06-01T12:00:00.000Z');

  constructor(
    readonly account: FakeAccount,
    readonly accessTokenTtlSeconds: number,
    private readonly defaultImageSize: ImageSize,
  ) {}

  // ---- the library -------------------------------------------------------

  async addImage(image: NewImage = {}): Promise<FakeDriveFile> {
    const seed = ++this.seed;
    const random = seededRandom(seed * 7919);
    const size = image.size ?? this.defaultImageSize;
    const bytes = await makeJpeg(seed, size);
    const file: FakeDriveFile = {
      id: driveId(),
      name: image.name ?? `IMG_${String(1000 + seed).padStart(4, '0')}.JPG`,
      mimeType: 'image/jpeg',
      bytes,
      md5: md5(bytes),
      createdTime: this.tick(),
      modifiedTime: this.lastTime(),
      trashed: false,
      hasThumbnail: image.hasThumbnail ?? true,
      imageMediaMetadata: {
        width: size.width,
        height: size.height,
        ...timeOf(image.time, seed, random),
        ...locationOf(image.location, seed, random),
        cameraMake: 'Apple',
        cameraModel: 'iPhone 12 mini',
        rotation: image.rotation ?? 0,
      },
    };
    this.put(file);
    return file;
  }

  async addImages(count: number, image: Omit<NewImage, 'name'> = {}): Promise<FakeDriveFile[]> {
    const added: FakeDriveFile[] = [];
    // In batches: sharp queues work on a small thread pool anyway, and ids stay in seed order.
    for (let start = 0; start < count; start += 64) {
      const batch = Array.from({ length: Math.min(64, count - start) }, () => this.addImage(image));
      added.push(...(await Promise.all(batch)));
    }
    return added;
  }

  /** A file the scan must skip: a folder, a PDF or a Google Doc. */
  addOtherFile(kind: 'folder' | 'pdf' | 'google-doc'): FakeDriveFile {
    const bytes = kind === 'pdf' ? Buffer.from('%PDF-1.4\n%fake\n') : null;
    const file: FakeDriveFile = {
      id: driveId(),
      name: { folder: 'Concerts', pdf: 'tickets.pdf', 'google-doc': 'Setlists' }[kind],
      mimeType: { folder: 'application/vnd.google-apps.folder', pdf: 'application/pdf', 'google-doc': 'application/vnd.google-apps.document' }[kind],
      bytes,
      md5: bytes ? md5(bytes) : null,
      createdTime: this.tick(),
      modifiedTime: this.lastTime(),
      trashed: false,
      hasThumbnail: false,
    };
    this.put(file);
    return file;
  }

  /** New content (an edit): new bytes, md5 and modifiedTime. */
  async modifyFile(id: string): Promise<FakeDriveFile> {
    const file = this.mustGet(id);
    const bytes = await makeJpeg(++this.seed, { width: file.imageMediaMetadata?.width ?? 64, height: file.imageMediaMetadata?.height ?? 48 });
    Object.assign(file, { bytes, md5: md5(bytes), modifiedTime: this.tick() });
    this.recordChange(id);
    return file;
  }

  trashFile(id: string): void {
    Object.assign(this.mustGet(id), { trashed: true, modifiedTime: this.tick() });
    this.recordChange(id);
  }

  /** Deleted for good (emptied from the trash): the change log reports it as removed. */
  deleteFile(id: string): void {
    this.mustGet(id);
    this.files.delete(id);
    this.recordChange(id);
  }

  /** The file vanishes, e.g. between a listing and a download. */
  removeFile(id: string): void {
    this.deleteFile(id);
  }

  file(id: string): FakeDriveFile | undefined {
    return this.files.get(id);
  }

  allFiles(): FakeDriveFile[] {
    return [...this.files.values()];
  }

  liveImages(): FakeDriveFile[] {
    return this.allFiles().filter((file) => file.mimeType.startsWith('image/') && !file.trashed);
  }

  startPageToken(): string {
    return String(this.nextChangeId);
  }

  /** The latest change of each file since `fromChangeId`, oldest first, as Drive reports them. */
  changesSince(fromChangeId: number): ChangeEntry[] {
    const latest = new Map<string, ChangeEntry>();
    for (const entry of this.changeLog) {
      if (entry.changeId < fromChangeId) continue;
      latest.delete(entry.fileId);
      latest.set(entry.fileId, entry);
    }
    return [...latest.values()];
  }

  isKnownChangeToken(token: number): boolean {
    return Number.isInteger(token) && token >= 1 && token <= this.nextChangeId;
  }

  // ---- OAuth -------------------------------------------------------------

  /** Revokes a grant (the user removed the app): its refresh token gets invalid_grant, its access tokens 401. */
  revokeRefreshToken(refreshToken: string): void {
    const grant = this.grants.get(refreshToken);
    if (grant) grant.revoked = true;
  }

  /** Every access token issued so far stops working, as if an hour had passed. */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  issuedRefreshTokens(): string[] {
    return [...this.grants.keys()];
  }

  // ---- faults and the request log ----------------------------------------

  /** The next `count` requests whose path matches fail with `status` (a Google-format error body). */
  failNext(pattern: string | RegExp, status: FaultStatus, count = 1, options: FaultOptions = {}): void {
    this.faults.push({ pattern, status, remaining: count, options });
  }

  /** The next matching request gets `status` with exactly this JSON text, e.g. a malformed 200. */
  respondNext(pattern: string | RegExp, status: number, rawBody: string): void {
    this.faults.push({ pattern, status: status as FaultStatus, remaining: 1, options: {}, rawBody });
  }

  takeFault(path: string): Fault | null {
    const fault = this.faults.find((f) => (typeof f.pattern === 'string' ? path.includes(f.pattern) : f.pattern.test(path)));
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }

  requestsTo(pattern: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => (typeof pattern === 'string' ? r.path.includes(pattern) : pattern.test(r.path)));
  }

  /** Downloads of file contents (files/{id}?alt=media). */
  downloads(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/drive/v3/files/') && r.query.alt === 'media');
  }

  // ---- internals ---------------------------------------------------------

  private put(file: FakeDriveFile): void {
    this.files.set(file.id, file);
    this.recordChange(file.id);
  }

  private recordChange(fileId: string): void {
    this.changeLog.push({ changeId: this.nextChangeId++, fileId, time: this.lastTime() });
  }

  private mustGet(id: string): FakeDriveFile {
    const file = this.files.get(id);
    if (!file) throw new Error(`fake Drive has no file ${id}`);
    return file;
  }

  /** A monotonic clock so modifiedTime always moves forward, even within one millisecond. */
  private tick(): string {
    this.clockMs += 1000;
    return this.lastTime();
  }

  private lastTime(): string {
    return new Date(this.clockMs).toISOString();
  }
}

/** Drive ids: 33 URL-safe characters. */
function driveId(): string {
  return `1${randomBytes(24).toString('base64url')}`;
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** An evening between 2012 and 2024, 19:00–00:59, in EXIF's "YYYY:MM:DD HH:MM:SS". */
function concertEvening(random: () => number): string {
  const day = new Date(Date.UTC(2012, 0, 1) + Math.floor(random() * 13 * 365) * 86_400_000);
  const hour = (19 + Math.floor(random() * 6)) % 24;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getUTCFullYear()}:${pad(day.getUTCMonth() + 1)}:${pad(day.getUTCDate())} ${pad(hour)}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))}`;
}

/** Most photos carry a capture time and a position; some (screenshots, old scans) do not. */
function timeOf(time: NewImage['time'], seed: number, random: () => number): Pick<FakeImageMediaMetadata, 'time'> {
  if (time === null) return {};
  if (time) return { time };
  return seed % 7 === 0 ? {} : { time: concertEvening(random) };
}

const VENUES = [
  { latitude: 51.5031, longitude: 0.0032 }, // The O2, London
  { latitude: 52.3621, longitude: 4.8835 }, // Paradiso, Amsterdam
  { latitude: 40.7505, longitude: -73.9934 }, // Madison Square Garden
  { latitude: 48.8385, longitude: 2.3785 }, // Accor Arena, Paris
];

function locationOf(location: NewImage['location'], seed: number, random: () => number): Pick<FakeImageMediaMetadata, 'location'> {
  if (location === null) return {};
  if (location) return { location: { ...location, altitude: 12 } };
  if (seed % 5 === 0) return {};
  const venue = VENUES[seed % VENUES.length]!;
  const jitter = () => (random() - 0.5) * 0.002;
  return { location: { latitude: venue.latitude + jitter(), longitude: venue.longitude + jitter(), altitude: 20 + random() * 30 } };
}
