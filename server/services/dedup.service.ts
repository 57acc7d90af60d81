import type { JobPayload } from '../../shared/jobs.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { done, skipped, type Outcome, type StopCheck } from '../outcome.js';
import { DedupConflictError, type DedupWrite, type DuplicateGroupRepository } from '../repositories/duplicate-group.repository.js';
import type { PhotoRepository } from '../repositories/photo.repository.js';
import { planDedup, type DedupUnit } from './dedup-plan.js';

export type DedupScanPayload = JobPayload<'dedup-scan'>;

/** Why a dedup run ended early: the scan was cancelled, or the account is gone. Either way it ends quietly, never retried. */
type StopReason = 'cancelled' | 'gone';

/** Rows changed per write (one transaction): a stop waits for one write at most, and a write is a few statements. */
const ROWS_PER_WRITE = 500;
/** Plans made in one run when writes meet rows changed by someone else. */
const PLANS_PER_RUN = 3;
/** Planning gives the event loop back this often (BullMQ renews the job lock on it)… */
const YIELD_EVERY_MS = 50;
/** …and looks for a cancel or a deleted account this often. */
const STOP_CHECK_EVERY_MS = 1_000;

/**
 * A stage of a scan once every file is in: groups the photos it brought in with their
 * copies (exact, near) and burst siblings across the user's library and suggests the
 * best copy. The groups are planned in memory from three reads (dedup-plan.ts) and
 * written in units of a few statements; before each write the run stops if the scan
 * was cancelled (`stopped`, asked of the job layer) or the account deleted. One job
 * per scan; running it again, or after a crash part-way, ends with the same groups.
 */
export class DedupService {
  constructor(
    private readonly photos: Pick<PhotoRepository, 'readyOfScan'>,
    private readonly groups: DuplicateGroupRepository,
    private readonly config: Pick<AppConfig, 'dedup'>,
  ) {}

  /** Done with the scan's count of extra copies; skipped ('cancelled' or 'gone') when it stopped, which hands nothing on. */
  async run(
    { scanId, userId }: DedupScanPayload,
    { stopped, logger }: { stopped: StopCheck; logger: Logger },
  ): Promise<Outcome<{ duplicates: number }>> {
    const stop = (): Promise<StopReason | null> => this.stopReason(userId, stopped);
    const stoppedAtStart = await stop();
    if (stoppedAtStart) return skipped(stoppedAtStart);
    const fresh = await this.photos.readyOfScan(userId, scanId);
    let grouped = 0;
    if (fresh.length) {
      const result = await this.groupReplanningOnConflict(
        { scanId, userId, stop, cancelled: stopped },
        fresh.map((photo) => photo.id),
        logger,
      );
      if ('stopped' in result) {
        logger.info({ scanId, reason: result.stopped, writes: result.writes }, 'duplicate grouping stopped');
        return skipped(result.stopped);
      }
      grouped = result.grouped;
    }
    const duplicates = await this.groups.countExtraCopiesOfScan(userId, scanId);
    logger.info({ scanId, photos: fresh.length, grouped, duplicates }, 'duplicates grouped');
    return done({ duplicates });
  }

  /**
   * Another writer (a dedup of the user's other library, a resolve) changed rows the plan
   * counted on: nothing of that unit was written, and what was written stays right, so
   * planning again from what is there now finishes the job. Past a few tries the job retries later.
   */
  private async groupReplanningOnConflict(run: DedupRun, fresh: number[], logger: Logger) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.group(run, fresh, logger);
      } catch (error) {
        if (!(error instanceof DedupConflictError) || attempt >= PLANS_PER_RUN) throw error;
        logger.info({ scanId: run.scanId, attempt, reason: error.message }, 'duplicate groups changed meanwhile; planning again');
      }
    }
  }

  private async group({ scanId, userId, stop, cancelled }: DedupRun, fresh: number[], logger: Logger): Promise<GroupResult> {
    // Photos first, groups last: a group made in between is then one no photo read here points to yet.
    const library = await this.groups.comparablePhotos(userId);
    const otherMembers = await this.groups.otherGroupMembers(userId);
    const groups = await this.groups.groupsOf(userId);
    const watch = stopWatch(stop);
    const startedAt = performance.now();
    const plan = await planDedup({ library, otherMembers, groups, fresh }, this.config.dedup, watch.checkpoint);
    if (!plan) return { stopped: watch.reason() ?? 'cancelled', writes: 0 };
    logger.debug(
      { scanId, library: library.length, units: plan.units.length, ms: Math.round(performance.now() - startedAt) },
      'duplicate groups planned',
    );

    let writes = 0;
    for (const write of batchUnits(plan.units, ROWS_PER_WRITE)) {
      // The write itself finds a deleted account (it share-locks the user row).
      if (await cancelled()) return { stopped: 'cancelled' as const, writes };
      let written: 'written' | 'gone';
      try {
        written = await this.groups.applyDedupWrite(userId, write);
      } catch (error) {
        // A deletion or cancel under way explains a conflict (the photos went): stop quietly. Anything else retries.
        const reason = await stop();
        if (reason) return { stopped: reason, writes };
        throw error;
      }
      if (written === 'gone') return { stopped: 'gone' as const, writes };
      writes += 1;
    }
    return { grouped: plan.freshGrouped, writes };
  }

  private async stopReason(userId: number, stopped: StopCheck): Promise<StopReason | null> {
    if (await stopped()) return 'cancelled';
    if (!(await this.groups.userExists(userId))) return 'gone';
    return null;
  }
}

type GroupResult = { stopped: StopReason; writes: number } | { grouped: number; writes: number };

interface DedupRun {
  scanId: number;
  userId: number;
  /** Cancelled, or the account gone. */
  stop: () => Promise<StopReason | null>;
  cancelled: StopCheck;
}

/** The planner's checkpoint: gives the event loop back every YIELD_EVERY_MS, checks for a stop every STOP_CHECK_EVERY_MS. */
function stopWatch(stop: () => Promise<StopReason | null>) {
  let yieldedAt = performance.now();
  let checkedAt = yieldedAt;
  let reason: StopReason | null = null;
  return {
    reason: () => reason,
    checkpoint: async () => {
      if (performance.now() - yieldedAt >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yieldedAt = performance.now();
      }
      if (performance.now() - checkedAt >= STOP_CHECK_EVERY_MS) {
        reason = await stop();
        checkedAt = performance.now();
      }
      return reason !== null;
    },
  };
}

/** Whole units packed into writes of about `rowsPerWrite` rows changed (a bigger unit is a write of its own). */
export function* batchUnits(units: readonly DedupUnit[], rowsPerWrite: number): Generator<DedupWrite> {
  let batch = emptyWrite();
  for (const unit of units) {
    if (rowsOf(batch) && rowsOf(batch) + rowsOf(unit) > rowsPerWrite) {
      yield batch;
      batch = emptyWrite();
    }
    const offset = batch.create.length;
    batch.create.push(...unit.create);
    batch.update.push(...unit.update);
    batch.moves.push(...unit.moves.map((move) => (move.to && 'created' in move.to ? { ...move, to: { created: move.to.created + offset } } : move)));
    batch.remove.push(...unit.remove);
    batch.touched.push(...unit.touched);
  }
  if (rowsOf(batch)) yield batch;
}

function rowsOf(write: DedupWrite): number {
  return write.moves.length + write.create.length + write.update.length + write.remove.length;
}

function emptyWrite(): DedupWrite {
  return { create: [], update: [], moves: [], remove: [], touched: [] };
}
