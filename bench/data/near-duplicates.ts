/**
 * The dedup stage, two ways:
 * - searchLibrary: the search over a whole library, every photo looked up in the
 *   multi-index (server/services/duplicate-index.ts) with the chunk values of
 *   shared/hamming.ts and each candidate classified by shared/dedup.ts — what the
 *   dedup plan does for each photo of a scan, here for all of them at once (a first
 *   scan of the whole library), without the writes;
 * - timeDedupStage: the whole stage (DedupService.run: reads, plan, writes) for a new
 *   user whose scan brought thousands of near-identical photos (issue 14: 2,000 took
 *   71 s, 10,000 over 5 minutes), with every statement it sends counted. The user and
 *   its rows are removed afterwards, so the seeded database stays as seeded.
 */
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { duplicateGroups, photos, users } from '../../drizzle/schema/index.js';
import { DEFAULT_DEDUP_THRESHOLDS, classifyPhotos, type DedupThresholds } from '../../shared/dedup.js';
import { hashFromChunks } from '../../shared/hamming.js';
import type { AppConfig } from '../../server/config.js';
import { createDatabase } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { AccountRepository } from '../../server/repositories/account.repository.js';
import { DuplicateGroupRepository } from '../../server/repositories/duplicate-group.repository.js';
import { PhotoRepository, type DedupPhoto } from '../../server/repositories/photo.repository.js';
import { planDedup } from '../../server/services/dedup-plan.js';
import { neverStop } from '../../server/outcome.js';
import { DedupService } from '../../server/services/dedup.service.js';
import { DuplicateIndex } from '../../server/services/duplicate-index.js';
import { recordAllStatements } from '../../tests/support/statement-counter.js';

export interface NearDuplicateSearch {
  photos: number;
  seconds: number;
  /** Photos the index returned: within the threshold, or the same bytes (pairs counted from both ends). */
  candidates: number;
  /** Related pairs (exact, near or burst), each counted once. */
  related: number;
}

export function searchLibrary(
  photos: readonly DedupPhoto[],
  thresholds: Pick<DedupThresholds, 'nearThreshold' | 'burstWindowSeconds'> = DEFAULT_DEDUP_THRESHOLDS,
): NearDuplicateSearch {
  const started = performance.now();
  const index = new DuplicateIndex(photos);
  let candidates = 0;
  let related = 0;
  for (const photo of photos) {
    if (photo.perceptualHash === null) continue;
    const found = index.related(photo, thresholds.nearThreshold);
    candidates += found.length;
    for (const other of found) if (other.id > photo.id && classifyPhotos(photo, other, thresholds)) related += 1;
  }
  return { photos: photos.length, seconds: (performance.now() - started) / 1000, candidates, related };
}

/** How the near-identical photos of timeDedupStage were taken: the capture time of the i-th, if any. */
export const NEAR_IDENTICAL_SCENARIOS: Record<string, (i: number) => Date | null> = {
  'one picture saved again and again, no capture time': () => null,
  'one frame a second, all alike': (i) => new Date(Date.UTC(2024, 5, 1, 19, 0, 0, 250) + i * 1000),
};

export interface DedupStageRun {
  scenario: string;
  photos: number;
  /** The whole stage, as the job runs it: three reads, the plan in memory, the writes, the count. */
  seconds: number;
  /** The plan alone (in memory), on the same rows, before the run. */
  planSeconds: number;
  /** Every statement the stage sent, writes and transaction control included. */
  statements: number;
  groups: number;
  groupedPhotos: number;
}

export async function timeDedupStage(config: AppConfig, sizes: readonly number[]): Promise<DedupStageRun[]> {
  const logger = createLogger({ logLevel: 'warn' });
  const database = createDatabase(config.database, logger);
  const statements = recordAllStatements(database.primaryCorePool);
  const { db } = database;
  const groups = new DuplicateGroupRepository(db);
  const accounts = new AccountRepository(db);
  // Run outside the pipeline: the stage is never cancelled and hands off to nothing.
  const service = new DedupService(new PhotoRepository(db), groups, config);
  const runs: DedupStageRun[] = [];
  try {
    for (const [scenario, takenAtOf] of Object.entries(NEAR_IDENTICAL_SCENARIOS)) {
      for (const n of sizes) {
        const [user] = await db
          .insert(users)
          .values({ email: `bench-dedup-${Date.now()}-${n}@example.test`, name: 'bench dedup', passwordHash: 'not a hash' });
        const userId = user.insertId;
        const scanId = 1;
        try {
          for (let start = 0; start < n; start += 2_000) {
            await db.insert(photos).values(
              Array.from({ length: Math.min(2_000, n - start) }, (_, k) => {
                const i = start + k;
                return {
                  userId,
                  sourceId: 1,
                  scanId,
                  status: 'ready' as const,
                  sourceFileId: `IMG_${i}.jpg`,
                  fileName: `IMG_${i}.jpg`,
                  perceptualHash: nearIdenticalHash(i),
                  contentHash: `bench-${i}`,
                  takenAt: takenAtOf(i),
                  width: 4000,
                  height: 3000,
                  byteSize: 3_000_000 + i,
                };
              }),
            );
          }
          const library = await groups.comparablePhotos(userId);
          const planStarted = performance.now();
          await planDedup({ library, otherMembers: [], groups: [], fresh: library.map((photo) => photo.id) }, config.dedup);
          const planSeconds = (performance.now() - planStarted) / 1000;

          const mark = statements.mark();
          const started = performance.now();
          const result = await service.run({ scanId, userId }, { stopped: neverStop, logger });
          const seconds = (performance.now() - started) / 1000;
          if (result.status !== 'done') throw new Error(`The dedup stage ended ${result.status}`);
          const [groupRows] = await db.select({ n: count() }).from(duplicateGroups).where(eq(duplicateGroups.userId, userId));
          const [grouped] = await db
            .select({ n: count() })
            .from(photos)
            .where(and(eq(photos.userId, userId), isNotNull(photos.duplicateGroupId)));
          runs.push({
            scenario,
            photos: n,
            seconds,
            planSeconds,
            statements: statements.since(mark).length,
            groups: groupRows!.n,
            groupedPhotos: grouped!.n,
          });
        } finally {
          await accounts.deleteUserRows(userId);
          await accounts.deleteUser(userId);
        }
      }
    }
  } finally {
    await database.close();
  }
  return runs;
}

/** Three bits flipped in one 64-bit hash: any two photos are at most 6 bits apart, so every pair is related. */
function nearIdenticalHash(i: number): bigint {
  const base = hashFromChunks([0x3c5a, 0x96e1, 0x0ff0, 0xa5c3]);
  return [i, i * 7 + 3, i * 13 + 5].reduce((hash, bit) => hash ^ (1n << BigInt(bit % 64)), base);
}
