import { isTerminal } from '../../shared/scan-progress.js';
import type { ScanProgress } from '../../shared/scan.schema.js';
import { CACHE_TTL, noViewCache, type ViewCache } from '../cache/versioned-cache.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { JobSender } from '../queue/job-sender.js';
import type { Lease } from '../rate-limit/concurrent-leases.js';
import type { RateLimits } from '../rate-limit/limits.js';
import type { PhotoRepository } from '../repositories/photo.repository.js';
import type { ProcessedFileRepository } from '../repositories/processed-file.repository.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import type { ScanRepository } from '../repositories/scan.repository.js';
import type { AccessService } from './access.js';

type ScanRow = NonNullable<Awaited<ReturnType<ScanRepository['find']>>>;

/** A finished scan (or one whose live state Redis lost) as the same shape the live feed sends. */
function progressFromRow(row: ScanRow): ScanProgress {
  const { listed, processed, failed, duplicates, matched, unchanged } = row;
  return {
    scanId: row.id,
    status: row.status,
    stage: isTerminal(row.status) ? 'done' : row.status === 'queued' ? 'queued' : 'processing',
    counts: { listed, processed, failed, duplicates, matched, unchanged },
    // Only the live feed counts evenings; a finished scan's concerts are in the history.
    events: { total: 0, done: 0 },
    startedAt: row.startedAt?.getTime() ?? null,
    updatedAt: (row.finishedAt ?? row.startedAt ?? row.createdAt).getTime(),
  };
}

/** The web side of scanning: start, watch, cancel, retry. The work itself runs in the workers. */
export class ScanService {
  constructor(
    private readonly access: AccessService,
    private readonly scans: ScanRepository,
    private readonly progress: ScanProgressRepository,
    private readonly photos: PhotoRepository,
    private readonly processedFiles: ProcessedFileRepository,
    private readonly jobs: JobSender,
    private readonly rateLimits: Pick<RateLimits, 'reserveScanStart' | 'openProgressStream'>,
    private readonly cache: ViewCache = noViewCache,
  ) {}

  async start(userId: number, sourceId: number, requestId?: string): Promise<{ scanId: number }> {
    await this.access.requireOwned('source', userId, sourceId);
    // Reserved before the scan row is written, so parallel starts or a batch cannot all pass;
    // a start refused because one is already running gives its place back.
    const attempt = await this.rateLimits.reserveScanStart(userId);
    let scanId: number | null;
    try {
      scanId = await this.scans.insertQueued(userId, sourceId);
    } catch (error) {
      await attempt.refund();
      throw error;
    }
    if (!scanId) {
      await attempt.refund();
      throw new ConflictError('A scan of this library is already running');
    }
    await this.progress.init(scanId);
    await this.jobs.add('scan-source', { scanId, userId, sourceId, requestId });
    await this.cache.bumpUser(userId);
    return { scanId };
  }

  async get(userId: number, scanId: number): Promise<ScanProgress> {
    const row = await this.scans.find(userId, scanId);
    if (!row) throw new NotFoundError('Scan');
    if (isTerminal(row.status)) return progressFromRow(row);
    return (await this.progress.get(scanId)) ?? progressFromRow(row);
  }

  /** The scan history with each scan's counts; running scans' live counts come from `get`. */
  list(userId: number, limit: number) {
    return this.cache.forUser(userId, 'scans.list', limit, CACHE_TTL.scanStats, () => this.scans.listByUser(userId, limit));
  }

  async cancel(userId: number, scanId: number): Promise<ScanProgress> {
    const row = await this.scans.find(userId, scanId);
    if (!row) throw new NotFoundError('Scan');
    if (isTerminal(row.status)) return progressFromRow(row);
    const live = await this.progress.get(scanId);
    await this.scans.finish(userId, scanId, 'cancelled', live?.counts ?? null);
    // Jobs still queued see the flag and do nothing; the scan job stops at its next page.
    await this.progress.finish(scanId, 'cancelled');
    await this.cache.bumpUser(userId);
    return this.get(userId, scanId);
  }

  async failures(userId: number, scanId: number) {
    await this.access.requireOwned('scan', userId, scanId);
    return this.photos.failuresOfScan(userId, scanId, 1_000);
  }

  /** Forgets the failed files of a finished scan, then rescans the library: only they are read again. */
  async retryFailed(userId: number, scanId: number, requestId?: string) {
    const row = await this.scans.find(userId, scanId);
    if (!row) throw new NotFoundError('Scan');
    if (!isTerminal(row.status)) throw new ConflictError('Wait for the scan to finish before retrying its failed files');
    const failed = await this.photos.failuresOfScan(userId, scanId, 100_000);
    await this.processedFiles.forget(
      userId,
      row.sourceId,
      failed.map((photo) => photo.sourceFileId),
    );
    return this.start(userId, row.sourceId, requestId);
  }

  /**
   * Snapshots of a scan as they change, from whichever worker changes them, until it
   * ends. Access is checked before the stream opens, so a refusal is a plain error.
   */
  async watch(userId: number, scanId: number, feed: ScanProgressFeedPort, signal?: AbortSignal) {
    await this.access.requireOwned('scan', userId, scanId);
    // One of the user's few live streams (over all web servers), held until this one ends.
    const lease = await this.rateLimits.openProgressStream(userId);
    try {
      const updates = await feed.open(scanId, signal);
      // A stream closed before it was first read never runs the generator's `finally`.
      signal?.addEventListener('abort', () => void lease.release(), { once: true });
      if (signal?.aborted) await lease.release();
      return this.stream(userId, scanId, updates, lease);
    } catch (error) {
      await lease.release();
      throw error;
    }
  }

  private async *stream(
    userId: number,
    scanId: number,
    updates: AsyncGenerator<ScanProgress, void, undefined>,
    lease: Lease,
  ): AsyncGenerator<ScanProgress> {
    try {
      // Subscribed before reading the snapshot, so no update can fall in between.
      let latest = await this.get(userId, scanId);
      yield latest;
      if (isTerminal(latest.status)) return;
      for await (const update of updates) {
        if (update.updatedAt < latest.updatedAt) continue;
        latest = update;
        yield update;
        if (isTerminal(update.status)) return;
      }
    } finally {
      await updates.return(undefined);
      await lease.release();
    }
  }
}

export interface ScanProgressFeedPort {
  /** Subscribed when the promise resolves; the generator yields the newest snapshot as it changes. */
  open(scanId: number, signal?: AbortSignal): Promise<AsyncGenerator<ScanProgress, void, undefined>>;
}
