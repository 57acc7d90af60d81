import { noCacheInvalidation, type UserCacheInvalidator } from '../cache/versioned-cache.js';
import type { Logger } from '../logger.js';
import type { MatchRepository } from '../repositories/match.repository.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import type { ScanRepository } from '../repositories/scan.repository.js';

const NO_COUNTS = { listed: 0, processed: 0, failed: 0, duplicates: 0, matched: 0 };

/** The end of a scan, reached once: the live counters are frozen into the scan's row and the feed says done. */
export class ScanFinisher {
  constructor(
    private readonly scans: ScanRepository,
    private readonly progress: ScanProgressRepository,
    private readonly match: MatchRepository,
    private readonly cache: UserCacheInvalidator = noCacheInvalidation,
    /** Queues what follows a completed scan (its mails); idempotent per scan, so a retried completion queues nothing twice. */
    private readonly afterComplete: (userId: number, scanId: number) => Promise<void> = async () => {},
  ) {}

  /**
   * Photos of the scan now in a concert, counted from the database so retries never count one twice.
   * Grouping and matching call it right after they put photos into concerts, so it is also
   * where the user's cached views (lists, counts, stats) go stale.
   */
  async refreshMatched(userId: number, scanId: number): Promise<number> {
    await this.cache.bumpUser(userId);
    const matched = await this.match.countMatchedOfScan(userId, scanId);
    await this.progress.setCounts(scanId, { matched });
    return matched;
  }

  /** Photos went into a concert outside a counted step (an abandoned match): the user's cached views are stale. */
  viewsChanged(userId: number): Promise<void> {
    return this.cache.bumpUser(userId);
  }

  async complete(userId: number, scanId: number, logger: Logger, note?: string): Promise<void> {
    const matched = await this.refreshMatched(userId, scanId);
    const live = await this.progress.get(scanId);
    const counts = { ...(live?.counts ?? NO_COUNTS), matched };
    await this.scans.finish(userId, scanId, 'completed', counts, note);
    await this.progress.finish(scanId, 'completed');
    await this.afterComplete(userId, scanId);
    logger.info({ scanId, ...counts }, 'scan completed');
  }
}
