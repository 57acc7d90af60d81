/**
 * Issue 14, item 5: a library of thousands of near-identical photos must not turn
 * the dedup stage into quadratic database work, and a cancel or an account deletion
 * must stop it. Photos are inserted straight into the database with perceptual hashes
 * a few bits apart (no images needed), and the dedup stage runs in this process, as a worker runs it, on a
 * pool of its own whose every statement is counted. Bounds are on statements, never on time.
 */
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateGroups, photos, sources, users } from '../../drizzle/schema/index.js';
import { createDatabase, type Database } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { USER_SCOPED_TABLES } from '../../server/repositories/account.repository.js';
import { DuplicateGroupRepository, type DedupWrite } from '../../server/repositories/duplicate-group.repository.js';
import { PhotoRepository } from '../../server/repositories/photo.repository.js';
import type { JobSender } from '../../server/queue/job-sender.js';
import { DedupService } from '../../server/services/dedup.service.js';
import { argon2PasswordHasher } from '../../server/services/password-hasher.js';
import { scanPipeline } from '../../worker/scan-pipeline.js';
import { recordAllStatements } from '../support/statement-counter.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { jobRunner, workerServicesOf } from '../support/worker-jobs.js';

const PASSWORD = 'correct horse battery staple';
const logger = createLogger({ logLevel: 'silent' });

let app: RunningApp;
let counted: ReturnType<typeof createDatabase>;
let statements: ReturnType<typeof recordAllStatements>;
let passwordHash: string;

beforeAll(async () => {
  app = await startTestApp(testEnv());
  // A pool of the dedup's own, counted from its first connection.
  counted = createDatabase(app.config.database, logger);
  statements = recordAllStatements(counted.primaryCorePool);
  passwordHash = await argon2PasswordHasher.hash(PASSWORD);
});
afterAll(async () => {
  await counted?.close();
  await app?.close();
});

/** A deterministic stream of 64-bit hashes (xorshift64). */
function hashes(seed: bigint) {
  let state = seed;
  return () => {
    state ^= (state << 13n) & 0xffff_ffff_ffff_ffffn;
    state ^= state >> 7n;
    state ^= (state << 17n) & 0xffff_ffff_ffff_ffffn;
    return state;
  };
}
const flip = (hash: bigint, ...bits: number[]) => bits.reduce((h, bit) => h ^ (1n << BigInt(bit % 64)), hash);

interface PhotoSpec {
  perceptualHash: bigint;
  contentHash?: string;
  takenAt?: Date | null;
  width?: number;
}

/** A user, a library and a running scan that brought in these photos, all written directly. */
async function userWithScan(label: string, specs: PhotoSpec[]) {
  const db = app.database.db;
  const [user] = await db.insert(users).values({ email: uniqueEmail(label), name: label, passwordHash });
  const userId = user.insertId;
  const [source] = await db.insert(sources).values({ userId, kind: 'upload', label: 'Uploads' });
  const sourceId = source.insertId;
  const repositories = app.services.repositories;
  const scanId = (await repositories.scans.insertQueued(userId, sourceId))!;
  await repositories.scans.markRunning(userId, scanId);
  await repositories.scanProgress.init(scanId);
  await repositories.scanProgress.markRunning(scanId);
  for (let start = 0; start < specs.length; start += 1000) {
    await db.insert(photos).values(
      specs.slice(start, start + 1000).map((spec, i) => ({
        userId,
        sourceId,
        scanId,
        status: 'ready' as const,
        sourceFileId: `IMG_${start + i}.jpg`,
        fileName: `IMG_${start + i}.jpg`,
        mimeType: 'image/jpeg',
        perceptualHash: spec.perceptualHash,
        contentHash: spec.contentHash ?? `${label}-${start + i}`,
        takenAt: spec.takenAt ?? null,
        width: spec.width ?? 4000,
        height: 3000,
        byteSize: 2_000_000 + start + i,
      })),
    );
  }
  return { userId, sourceId, scanId };
}

/** `n` photos within 6 bits of one another, no capture time: re-saves of one picture. */
function nearIdentical(n: number, seed: bigint): PhotoSpec[] {
  const base = hashes(seed)();
  return Array.from({ length: n }, (_, i) => ({ perceptualHash: flip(base, i, i * 7 + 3, i * 13 + 5) }));
}

/** `scenes` different pictures (random hashes, far apart), each saved `copies` times a bit apart. */
function copiesOfScenes(scenes: number, copies: number, seed: bigint): PhotoSpec[] {
  const next = hashes(seed);
  return Array.from({ length: scenes }, () => next()).flatMap((scene) =>
    Array.from({ length: copies }, (_, copy) => ({ perceptualHash: flip(scene, copy * 11) })),
  );
}

/** The dedup stage (its job, as a worker runs it) on the counted pool, handing off to a list instead of the queue. */
function dedupService(db: Database, groups = new DuplicateGroupRepository(db)) {
  const handedOff: number[] = [];
  const jobs: JobSender = {
    add: async (name, payload) => void (name === 'group-events' && handedOff.push((payload as { scanId: number }).scanId)),
    addBulk: async () => {},
  };
  const services = workerServicesOf(app);
  const run = jobRunner(services, scanPipeline({ ...services.pipeline, dedup: new DedupService(new PhotoRepository(db), groups, app.config), jobs }));
  const service = {
    run: (scan: { scanId: number; userId: number }) => run('dedup-scan', scan) as Promise<{ duplicates?: number; skipped?: string }>,
  };
  return { service, handedOff };
}

interface Hooks {
  /** Once the library's photos are read (the first read of grouping, in the code before this fix too). */
  afterLibraryRead?: () => Promise<void>;
  /** Once the groups are read too: the plan is made from what was read. */
  afterGroupsRead?: () => Promise<void>;
  /** Once the n-th write is committed. */
  afterWrite?: (n: number) => Promise<void>;
}

/** The real repository, with something happening between its steps. */
class InterruptedGroups extends DuplicateGroupRepository {
  writes = 0;
  constructor(
    db: Database,
    private readonly hooks: Hooks,
  ) {
    super(db);
  }

  override async comparablePhotos(userId: number) {
    const rows = await super.comparablePhotos(userId);
    await this.hooks.afterLibraryRead?.();
    return rows;
  }

  override async groupsOf(userId: number) {
    const rows = await super.groupsOf(userId);
    await this.hooks.afterGroupsRead?.();
    return rows;
  }

  override async applyDedupWrite(userId: number, write: DedupWrite) {
    const result = await super.applyDedupWrite(userId, write);
    this.writes += 1;
    await this.hooks.afterWrite?.(this.writes);
    return result;
  }
}

async function groupsOf(userId: number) {
  return app.database.db
    .select({
      id: duplicateGroups.id,
      kind: duplicateGroups.kind,
      primaryPhotoId: duplicateGroups.primaryPhotoId,
      resolvedAt: duplicateGroups.resolvedAt,
    })
    .from(duplicateGroups)
    .where(eq(duplicateGroups.userId, userId));
}

async function groupedPhotoCount(userId: number) {
  const [row] = await app.database.db
    .select({ n: count() })
    .from(photos)
    .where(and(eq(photos.userId, userId), isNotNull(photos.duplicateGroupId)));
  return row!.n;
}

/** The user's groups as lists of file names with kind and best copy: comparable between users. */
async function groupingOf(userId: number) {
  const rows = await app.database.db
    .select({ file: photos.sourceFileId, id: photos.id, groupId: photos.duplicateGroupId })
    .from(photos)
    .where(and(eq(photos.userId, userId), isNotNull(photos.duplicateGroupId)));
  const fileOf = new Map(rows.map((row) => [row.id, row.file]));
  return (await groupsOf(userId))
    .map((group) => ({
      kind: group.kind,
      primary: fileOf.get(group.primaryPhotoId!),
      files: rows
        .filter((row) => row.groupId === group.id)
        .map((row) => row.file)
        .sort(),
    }))
    .sort((a, b) => a.files[0]!.localeCompare(b.files[0]!));
}

describe('dedup of thousands of near-identical photos', () => {
  it('groups 2,000 near-identical photos (two million related pairs) with a few dozen statements', async () => {
    const { userId, scanId } = await userWithScan('near-identical', nearIdentical(2000, 11n));
    const { service, handedOff } = dedupService(counted.db);
    const mark = statements.mark();
    expect(await service.run({ scanId, userId })).toEqual({ duplicates: 1999 });
    // Before: a dozen statements per photo and more per pair (over 20,000 here). Now: three reads, one write of
    // a few statements per 500 photos moved, the count.
    expect(statements.since(mark).length).toBeLessThanOrEqual(30);
    const groups = await groupsOf(userId);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ kind: 'near', resolvedAt: null });
    expect(await groupedPhotoCount(userId)).toBe(2000);
    expect(handedOff).toEqual([scanId]);
  });

  it('writes a thousand groups in statements that grow with the photos moved, 500 a write, not with the groups', async () => {
    const small = await userWithScan('scenes-small', copiesOfScenes(250, 2, 21n));
    const large = await userWithScan('scenes-large', copiesOfScenes(1000, 2, 22n));
    const { service } = dedupService(counted.db);
    const statementsFor = async ({ userId, scanId }: { userId: number; scanId: number }) => {
      const mark = statements.mark();
      expect(await service.run({ scanId, userId })).toMatchObject({ duplicates: expect.any(Number) });
      return statements.since(mark).length;
    };
    const forSmall = await statementsFor(small);
    const forLarge = await statementsFor(large);
    expect((await groupsOf(large.userId)).length).toBe(1000);
    expect(await groupedPhotoCount(large.userId)).toBe(2000);
    // 3,000 rows changed (2,000 photos, 1,000 new groups): six writes of a few statements each.
    expect(forLarge).toBeLessThanOrEqual(10 + 6 * 8);
    // Four times the photos: at most four times the writes, plus the fixed reads.
    expect(forLarge).toBeLessThanOrEqual(4 * forSmall);
  });
});

describe('stopping dedup', () => {
  it('stops writing as soon as the scan is cancelled after grouping started, and hands nothing on', async () => {
    const { userId, scanId } = await userWithScan('cancel-early', copiesOfScenes(500, 2, 31n));
    const groups = new InterruptedGroups(counted.db, { afterLibraryRead: async () => void (await app.services.scans.cancel(userId, scanId)) });
    const { service, handedOff } = dedupService(counted.db, groups);
    const mark = statements.mark();
    expect(await service.run({ scanId, userId })).toEqual({ skipped: 'cancelled' });
    expect(statements.writesSince(mark)).toEqual([]);
    expect(await groupsOf(userId)).toEqual([]);
    expect(handedOff).toEqual([]);
  });

  it('writes nothing after a cancel that comes between two writes', async () => {
    const { userId, scanId } = await userWithScan('cancel-midway', copiesOfScenes(1000, 2, 32n));
    let groupsAtCancel = -1;
    let marked = 0;
    const groups = new InterruptedGroups(counted.db, {
      afterWrite: async (n) => {
        if (n !== 1) return;
        await app.services.scans.cancel(userId, scanId);
        groupsAtCancel = (await groupsOf(userId)).length;
        marked = statements.mark();
      },
    });
    const { service, handedOff } = dedupService(counted.db, groups);
    expect(await service.run({ scanId, userId })).toEqual({ skipped: 'cancelled' });
    expect(groups.writes).toBe(1);
    expect(statements.writesSince(marked)).toEqual([]);
    // The first write's groups are whole (two photos each); the other scenes stay ungrouped.
    expect(groupsAtCancel).toBeGreaterThan(0);
    expect(groupsAtCancel).toBeLessThan(1000);
    expect(await groupsOf(userId)).toHaveLength(groupsAtCancel);
    expect(await groupedPhotoCount(userId)).toBe(2 * groupsAtCancel);
    expect(handedOff).toEqual([]);
  });

  async function expectNothingLeftOf(userId: number) {
    for (const [name, table] of Object.entries(USER_SCOPED_TABLES)) {
      const [row] = await app.database.db.select({ n: count() }).from(table).where(eq(table.userId, userId));
      expect(row!.n, name).toBe(0);
    }
    expect(await app.database.db.select({ id: users.id }).from(users).where(eq(users.id, userId))).toEqual([]);
  }

  it('ends quietly, writing nothing more, when the account is deleted once grouping started', async () => {
    const { userId, scanId } = await userWithScan('delete-early', copiesOfScenes(500, 2, 41n));
    let marked = 0;
    const groups = new InterruptedGroups(counted.db, {
      afterLibraryRead: async () => {
        await app.services.accounts.delete(userId, PASSWORD);
        marked = statements.mark();
      },
    });
    const { service, handedOff } = dedupService(counted.db, groups);
    // Resolving (not throwing) is what keeps the job from being retried.
    const result = await service.run({ scanId, userId });
    expect(['cancelled', 'gone']).toContain(result.skipped);
    expect(statements.writesSince(marked)).toEqual([]);
    await expectNothingLeftOf(userId);
    expect(handedOff).toEqual([]);
  });

  it('ends quietly, leaving no rows of the user, when the account is deleted between two writes', async () => {
    const { userId, scanId } = await userWithScan('delete-midway', copiesOfScenes(1000, 2, 42n));
    let marked = 0;
    const groups = new InterruptedGroups(counted.db, {
      afterWrite: async (n) => {
        if (n !== 1) return;
        await app.services.accounts.delete(userId, PASSWORD);
        marked = statements.mark();
      },
    });
    const { service, handedOff } = dedupService(counted.db, groups);
    const result = await service.run({ scanId, userId });
    expect(['cancelled', 'gone']).toContain(result.skipped);
    expect(groups.writes).toBe(1);
    expect(statements.writesSince(marked)).toEqual([]);
    await expectNothingLeftOf(userId);
    expect(handedOff).toEqual([]);
  });

  it('writes nothing for a user whose row is gone even when the scan was never marked cancelled', async () => {
    const { userId, scanId } = await userWithScan('delete-uncancelled', copiesOfScenes(1000, 2, 43n));
    let marked = 0;
    const groups = new InterruptedGroups(counted.db, {
      afterWrite: async (n) => {
        if (n !== 1) return;
        // A deletion by another path (an operator, a partial run): rows and user gone, Redis untouched.
        await app.services.repositories.accounts.deleteUserRows(userId);
        await app.services.repositories.accounts.deleteUser(userId);
        marked = statements.mark();
      },
    });
    const { service, handedOff } = dedupService(counted.db, groups);
    expect(await service.run({ scanId, userId })).toEqual({ skipped: 'gone' });
    expect(statements.writesSince(marked)).toEqual([]);
    await expectNothingLeftOf(userId);
    expect(handedOff).toEqual([]);
  });
});

describe('dedup after a crash, and the user’s decisions', () => {
  /** Scenes with exact and near copies and bursts, so every kind of group and merge is in the plan. */
  function mixedLibrary(seed: bigint): PhotoSpec[] {
    const next = hashes(seed);
    return Array.from({ length: 300 }, (_, scene) => {
      const hash = next();
      const at = new Date(Date.UTC(2023, 5, 1, 20, 0, 0) + scene * 600_000);
      const burstFrame = (frame: number) => ({ perceptualHash: flip(hash, frame * 5), takenAt: new Date(at.getTime() + frame * 1000 + 250) });
      switch (scene % 3) {
        case 0:
          return [
            { perceptualHash: hash, contentHash: `scene-${scene}` },
            { perceptualHash: hash, contentHash: `scene-${scene}` },
          ];
        case 1:
          return [
            { perceptualHash: hash, takenAt: at },
            { perceptualHash: flip(hash, 3, 40), takenAt: at, width: 2000 },
          ];
        default:
          return [burstFrame(0), burstFrame(1), burstFrame(2), { ...burstFrame(1), perceptualHash: flip(hash, 5, 60), width: 1000 }];
      }
    }).flat();
  }

  it('ends with the same groups, none twice, when a worker dies after its first write and the job runs again', async () => {
    const clean = await userWithScan('crash-clean', mixedLibrary(51n));
    const crashed = await userWithScan('crash-retried', mixedLibrary(51n));
    expect(await dedupService(counted.db).service.run(clean)).toMatchObject({ duplicates: expect.any(Number) });

    const dying = new InterruptedGroups(counted.db, {
      afterWrite: async () => {
        throw new Error('the worker died here');
      },
    });
    await expect(dedupService(counted.db, dying).service.run(crashed)).rejects.toThrow('the worker died here');
    expect(await groupedPhotoCount(crashed.userId)).toBeGreaterThan(0);
    const retry = dedupService(counted.db);
    expect(await retry.service.run(crashed)).toEqual(await dedupService(counted.db).service.run(clean));
    expect(retry.handedOff).toEqual([crashed.scanId]);

    // 100 exact pairs, 100 near pairs, and per burst scene the frame with a copy apart from the other two frames.
    const expected = await groupingOf(clean.userId);
    expect(expected.map((group) => `${group.kind} ${group.files.length}`).sort()).toEqual(
      [...Array(100).fill('exact 2'), ...Array(100).fill('near 2'), ...Array(100).fill('near 2'), ...Array(100).fill('burst 2')].sort(),
    );
    expect(await groupingOf(crashed.userId)).toEqual(expected);
    expect(await groupsOf(crashed.userId)).toHaveLength(400);
  });

  /** A finished scan of the user's library and a new running one, which brings `specs`. */
  async function laterScan(first: { userId: number; sourceId: number; scanId: number }, specs: Array<PhotoSpec & { file: string; height?: number }>) {
    const repositories = app.services.repositories;
    await repositories.scans.finish(first.userId, first.scanId, 'completed', null);
    const scanId = (await repositories.scans.insertQueued(first.userId, first.sourceId))!;
    await repositories.scanProgress.init(scanId);
    await repositories.scanProgress.markRunning(scanId);
    await app.database.db.insert(photos).values(
      specs.map((spec) => ({
        userId: first.userId,
        sourceId: first.sourceId,
        scanId,
        status: 'ready' as const,
        sourceFileId: spec.file,
        fileName: spec.file,
        perceptualHash: spec.perceptualHash,
        contentHash: spec.contentHash ?? spec.file,
        width: spec.width ?? 4000,
        height: spec.height ?? 3000,
        byteSize: 9_000_000,
      })),
    );
    return { userId: first.userId, scanId };
  }

  it('leaves a group as the user resolved it while the next scan was being grouped, planning again', async () => {
    const hash = hashes(62n)();
    const first = await userWithScan('resolved-meanwhile', [{ perceptualHash: hash }, { perceptualHash: flip(hash, 9) }]);
    await dedupService(counted.db).service.run(first);
    const [group] = await groupsOf(first.userId);
    expect(group).toMatchObject({ kind: 'near', resolvedAt: null });
    const next = await laterScan(first, [{ file: 'IMG_copy.jpg', perceptualHash: flip(hash, 20), width: 8000, height: 6000 }]);

    let resolvedOnce = false;
    const groups = new InterruptedGroups(counted.db, {
      afterGroupsRead: async () => {
        if (resolvedOnce) return;
        resolvedOnce = true;
        const [kept] = await app.database.db.select({ id: photos.id }).from(photos).where(eq(photos.duplicateGroupId, group!.id)).limit(1);
        await app.services.duplicates.resolve(first.userId, group!.id, kept!.id);
      },
    });
    const decided = { id: group!.id, kind: 'near', primaryPhotoId: expect.any(Number), resolvedAt: expect.any(Date) };
    expect(await dedupService(counted.db, groups).service.run(next)).toMatchObject({ duplicates: expect.any(Number) });
    const after = await groupsOf(first.userId);
    expect(after).toEqual([decided]);
    expect(after[0]!.primaryPhotoId).not.toBe(
      (await app.database.db.select({ id: photos.id }).from(photos).where(eq(photos.scanId, next.scanId)))[0]!.id,
    );
    expect(await groupedPhotoCount(first.userId)).toBe(2);
  });

  it('never changes a group the user resolved, when a later scan brings another copy', async () => {
    const hash = hashes(61n)();
    const first = await userWithScan('resolved', [
      { perceptualHash: hash, contentHash: 'same-bytes' },
      { perceptualHash: hash, contentHash: 'same-bytes' },
    ]);
    await dedupService(counted.db).service.run(first);
    const [group] = await groupsOf(first.userId);
    const members = await app.database.db.select({ id: photos.id }).from(photos).where(eq(photos.userId, first.userId));
    await app.services.duplicates.resolve(first.userId, group!.id, members[1]!.id);
    const decided = await groupsOf(first.userId);

    // A later scan of the same library brings a third copy, bigger than the one the user kept.
    const next = await laterScan(first, [{ file: 'IMG_copy.jpg', perceptualHash: hash, contentHash: 'same-bytes', width: 8000, height: 6000 }]);
    expect(await dedupService(counted.db).service.run(next)).toMatchObject({ duplicates: expect.any(Number) });

    expect(await groupsOf(first.userId)).toEqual(decided);
    const rows = await app.database.db
      .select({ id: photos.id, groupId: photos.duplicateGroupId, hidden: photos.hidden })
      .from(photos)
      .where(eq(photos.userId, first.userId));
    expect(
      rows
        .filter((row) => row.groupId === group!.id)
        .map((row) => row.id)
        .sort(),
    ).toEqual(members.map((m) => m.id).sort());
  });
});
