import { noCacheInvalidation, type UserCacheInvalidator } from '../cache/versioned-cache.js';
import type { Logger } from '../logger.js';
import type { MatchRepository } from '../repositories/match.repository.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import type { ScanRepository } from '../repositories/scan.repository.js';

const NO_COUNTS = { listed: 0, processed: 0, failed: 0, duplicates: 0, matched: 0 };

interface ScanRef {
  scanId: number;
  userId: number;
}

/**
 * A scan's row and live state at the moments the pipeline (worker/scan-pipeline.ts)
 * reaches: it starts running, its photos join concerts, it ends (once: completed or
 * failed). At the end the live counters are frozen into the scan's row and the feed says so.
 */
export class ScanLifecycle {
  constructor(
    private readonly scans: ScanRepository,
    private readonly progress: ScanProgressRepository,
    private readonly match: MatchRepository,
    private readonly cache: UserCacheInvalidator = noCacheInvalidation,
  ) {}

  async markRunning({ scanId, userId }: ScanRef): Promise<void> {
    await this.scans.markRunning(userId, scanId);
    if ((await this.progress.get(scanId))?.status === 'queued') await this.progress.markRunning(scanId);
  }

  /**
   * Photos of the scan now in a concert, counted from the database so retries never count one twice.
   * The pipeline calls it right after grouping and matching put photos into concerts, so it is also
   * where the user's cached views (lists, counts, stats) go stale.
   */
  async refreshMatched({ scanId, userId }: ScanRef): Promise<number> {
    await this.cache.bumpUser(userId);
    const matched = await this.match.countMatchedOfScan(userId, scanId);
    await this.progress.setCounts(scanId, { matched });
    return matched;
  }

  async complete({ scanId, userId }: ScanRef, logger: Pick<Logger, 'info'>, note?: string): Promise<void> {
    const matched = await this.refreshMatched({ scanId, userId });
    const live = await this.progress.get(scanId);
    const counts = { ...(live?.counts ?? NO_COUNTS), matched };
    await this.scans.finish(userId, scanId, 'completed', counts, note);
    await this.progress.finish(scanId, 'completed');
    logger.info({ scanId, ...counts }, 'scan completed');
  }

  async fail({ scanId, userId }: ScanRef, reason: string): Promise<void> {
    const counts = (await this.progress.get(scanId))?.counts ?? null;
    await this.scans.finish(userId, scanId, 'failed', counts, reason);
    await this.progress.finish(scanId, 'failed');
  }
}
