/**
 * Scheduled rescans. The database (`sources.rescan_schedule`) is the truth; each
 * scheduled source has one BullMQ job scheduler in Redis, id `rescan-<user>-<source>`,
 * whose jobs start a scan. Upserting a scheduler is idempotent (same id, same
 * pattern, same next job id), so several servers setting one schedule, or several
 * workers reconciling at once, leave exactly one. Since Redis may lose them, workers
 * reconcile Redis with the database at start and every hour.
 */
import type { Logger } from '../logger.js';
import { parseRescanSchedulerId } from '../queue/job-ids.js';
import type { JobSchedulers, JobSender } from '../queue/job-sender.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import type { ScanRepository } from '../repositories/scan.repository.js';
import type { SourceRepository } from '../repositories/source.repository.js';
import { NotFoundError } from '../errors.js';
import type { AccessService } from './access.js';
import { rescanPattern, type RescanSchedule } from './rescan-schedule-pattern.js';

const RECONCILE_PAGE = 500;
export const RECONCILE_INTERVAL_MS = 60 * 60_000;

export class RescanScheduleService {
  constructor(
    private readonly access: AccessService,
    private readonly sources: SourceRepository,
    private readonly scanRows: ScanRepository,
    private readonly progress: Pick<ScanProgressRepository, 'init'>,
    private readonly jobs: JobSender & JobSchedulers,
  ) {}

  /** Database first: if Redis fails now, the next reconcile puts the scheduler right. */
  async set(userId: number, sourceId: number, schedule: RescanSchedule) {
    await this.access.requireOwned('source', userId, sourceId);
    await this.sources.setSchedule(userId, sourceId, schedule);
    await this.apply(userId, sourceId, schedule);
    return this.infoOf(userId, sourceId);
  }

  /** Every source's schedule, next run (from its scheduler) and last scheduled run with what it found. */
  async list(userId: number) {
    const [sources, lastRuns] = await Promise.all([this.sources.listByUser(userId), this.scanRows.latestScheduled(userId)]);
    return Promise.all(
      sources.map(async (source) => {
        const scheduler = source.rescanSchedule === 'off' ? undefined : await this.jobs.scheduler('rescan-source', { userId, sourceId: source.id });
        const lastRun = lastRuns.find((scan) => scan.sourceId === source.id) ?? null;
        return {
          sourceId: source.id,
          schedule: source.rescanSchedule,
          nextRunAt: scheduler?.next ? new Date(scheduler.next) : null,
          lastRun: lastRun && {
            scanId: lastRun.id,
            status: lastRun.status,
            startedAt: lastRun.startedAt ?? lastRun.createdAt,
            finishedAt: lastRun.finishedAt,
            counts: {
              listed: lastRun.listed,
              processed: lastRun.processed,
              failed: lastRun.failed,
              duplicates: lastRun.duplicates,
              matched: lastRun.matched,
            },
          },
        };
      }),
    );
  }

  async infoOf(userId: number, sourceId: number) {
    const info = (await this.list(userId)).find((item) => item.sourceId === sourceId);
    if (!info) throw new NotFoundError('Photo library');
    return info;
  }

  /**
   * What a scheduler's job does: start a scan marked 'scheduled', unless one of the
   * source is already active. A scheduler whose source is gone or set to off (a lost
   * removal) removes itself.
   */
  async runScheduled(userId: number, sourceId: number, logger: Pick<Logger, 'info'>) {
    const schedule = await this.sources.scheduleOf(userId, sourceId);
    if (schedule === null || schedule === 'off') {
      await this.jobs.removeScheduler('rescan-source', { userId, sourceId });
      logger.info({ userId, sourceId }, 'rescan scheduler without a scheduled source removed');
      return { outcome: 'unscheduled' as const };
    }
    const started = await this.startScan(userId, sourceId);
    logger.info(
      { userId, sourceId, scanId: started?.scanId ?? null },
      started ? 'scheduled rescan started' : 'scheduled rescan skipped: a scan is active',
    );
    return started ? { outcome: 'started' as const, scanId: started.scanId } : { outcome: 'already-scanning' as const };
  }

  /**
   * A rescan started by the source's schedule: not counted against the user's scan-start
   * limit (the user did not ask for it). Null when a scan of the source is already active.
   */
  private async startScan(userId: number, sourceId: number): Promise<{ scanId: number } | null> {
    const scanId = await this.scanRows.insertQueued(userId, sourceId, 'scheduled');
    if (!scanId) return null;
    await this.progress.init(scanId);
    await this.jobs.add('scan-source', { scanId, userId, sourceId });
    return { scanId };
  }

  /** Before a user's sources go (account deletion): their schedulers go too. */
  async removeAllOf(userId: number): Promise<void> {
    for (const source of await this.sources.listByUser(userId)) await this.jobs.removeScheduler('rescan-source', { userId, sourceId: source.id });
  }

  /**
   * Makes Redis match the database: a scheduler for every scheduled source with the
   * pattern it should have, none for any other. Reads, then writes only what differs.
   */
  async reconcile(logger: Pick<Logger, 'info'>): Promise<{ upserted: number; removed: number }> {
    let upserted = 0;
    for (let afterId = 0; ; ) {
      const page = await this.sources.scheduledPage(afterId, RECONCILE_PAGE);
      for (const source of page) {
        const schedule = source.rescanSchedule as Exclude<RescanSchedule, 'off'>;
        const existing = await this.jobs.scheduler('rescan-source', { userId: source.userId, sourceId: source.id });
        if (existing?.pattern === rescanPattern(schedule, source.userId, source.id)) continue;
        await this.apply(source.userId, source.id, schedule);
        upserted += 1;
      }
      if (page.length < RECONCILE_PAGE) break;
      afterId = page.at(-1)!.id;
    }
    let removed = 0;
    for (let start = 0; ; ) {
      const schedulers = await this.jobs.schedulers('rescan-source', start, start + RECONCILE_PAGE - 1);
      let removedHere = 0;
      for (const scheduler of schedulers) {
        const ids = parseRescanSchedulerId(scheduler.key);
        if (!ids) continue;
        const schedule = await this.sources.scheduleOf(ids.userId, ids.sourceId);
        if (schedule !== null && schedule !== 'off') continue;
        await this.jobs.removeScheduler('rescan-source', ids);
        removedHere += 1;
      }
      removed += removedHere;
      if (schedulers.length < RECONCILE_PAGE) break;
      // Removed schedulers no longer hold positions: the next window starts that much earlier.
      start += RECONCILE_PAGE - removedHere;
    }
    if (upserted || removed) logger.info({ upserted, removed }, 'rescan schedulers reconciled');
    return { upserted, removed };
  }

  private async apply(userId: number, sourceId: number, schedule: RescanSchedule) {
    if (schedule === 'off') await this.jobs.removeScheduler('rescan-source', { userId, sourceId });
    else await this.jobs.upsertScheduler('rescan-source', { userId, sourceId }, rescanPattern(schedule, userId, sourceId));
  }
}
