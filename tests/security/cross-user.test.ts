/**
 * One user never sees or changes another's data, for every procedure of the
 * router, read from the router itself: a procedure added tomorrow is in the
 * matrix without anyone editing this file (and one with an id field nobody has
 * explained fails it by name).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { QUEUE_NAMES } from '../../shared/queues.js';
import {
  PUBLIC_PROCEDURES,
  callProcedure,
  fill,
  hasOwnedSlot,
  readRouter,
  sampleId,
  slotsOf,
  type IdSlot,
  type OwnedKind,
  type ProcedureInfo,
  type SharedKind,
} from '../support/security-procedures.js';
import { PASSWORD, buildOwned, sharedFacts, signUp, snapshotOf, type Owned, type User } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

let app: RunningApp;
let importRoot: string;
beforeAll(async () => {
  importRoot = await mkdtemp(join(tmpdir(), 'ch-security-'));
  // The matrix makes many calls a minute; the API limit has its own tests.
  app = await startTestApp({ DATA_DIR: join(importRoot, 'data'), LOCAL_IMPORT_ROOTS: importRoot, RATE_LIMIT_API_PER_MIN: '0' });
});
afterAll(async () => {
  await app?.close();
  await rm(importRoot, { recursive: true, force: true });
});

const { procedures, problems } = readRouter();

/** The code a call answered: the tRPC error code, or "success". */
async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'success';
  } catch (error) {
    if (error instanceof TRPCClientError) return String(error.data?.code ?? error.message);
    throw error;
  }
}

/** Fills a shape's slots: the one at `foreign` with the other user's thing, the rest with the caller's own. */
function inputFor(shape: unknown, own: Owned, shared: Record<SharedKind, number | string>, foreign?: { index: number; theirs: Owned }) {
  const seen = new Map<string, number>();
  return fill(shape, (slot: IdSlot, index) => {
    if (!slot.owned) return slot.kind === 'admin' ? sampleId(slot, index) : shared[slot.kind as SharedKind];
    const kind = slot.kind as OwnedKind;
    // The n-th id of a kind in one input is the n-th thing of that kind: merge names two different concerts.
    const nth = seen.get(kind) ?? 0;
    seen.set(kind, nth + 1);
    const things = foreign?.index === index ? foreign.theirs[kind] : own[kind];
    return things[nth % things.length];
  });
}

const describeCase = (procedure: ProcedureInfo, slot: IdSlot) => `${procedure.path} with another user's ${slot.kind} at ${slot.path}`;

describe('the router as the security matrix sees it', () => {
  it('reads every procedure and knows what each id field points at', () => {
    // A message here names the procedure and field to explain in tests/support/security-procedures.ts.
    expect(problems).toEqual([]);
    // The walk itself works: these are known to take ids (a superset check, so new procedures need no edit here).
    const withIds = procedures.filter((p) => p.shapes.some(hasOwnedSlot)).map((p) => p.path);
    expect(withIds).toEqual(
      expect.arrayContaining([
        'scans.get',
        'scans.onProgress',
        'photos.move',
        'photos.resolveDuplicates',
        'concerts.merge',
        'inbox.resolve',
        'exports.get',
        'sources.setSchedule',
      ]),
    );
  });

  it('has exactly the expected public procedures; every other one needs a session', () => {
    expect(
      procedures
        .filter((p) => p.access === 'public')
        .map((p) => p.path)
        .sort(),
    ).toEqual(PUBLIC_PROCEDURES);
  });

  it('puts every admin.* procedure behind the admin check', () => {
    const admin = procedures.filter((p) => p.path.startsWith('admin.'));
    expect(admin.length).toBeGreaterThan(0);
    for (const procedure of admin) expect(procedure.access, procedure.path).toBe('admin');
  });
});

describe("another user's ids", () => {
  let owner: User;
  let stranger: User;
  let theirs: Owned;
  let mine: Owned;
  let shared: Record<SharedKind, number | string>;
  beforeAll(async () => {
    [owner, stranger] = await Promise.all([signUp(app, 'owner'), signUp(app, 'stranger')]);
    [theirs, mine, shared] = await Promise.all([buildOwned(app, owner, importRoot), buildOwned(app, stranger, importRoot), sharedFacts(app)]);
  });

  it('answer NOT_FOUND from every procedure that takes an id, reads, writes and the live feed alike, and change nothing', async () => {
    const ownerBefore = await snapshotOf(app, owner.user.id);
    const strangerBefore = await snapshotOf(app, stranger.user.id);
    const wrong: string[] = [];
    const tried = new Set<string>();
    for (const procedure of procedures.filter((p) => p.access === 'protected')) {
      for (const shape of procedure.shapes.filter(hasOwnedSlot)) {
        for (const [index, slot] of slotsOf(shape).entries()) {
          if (!slot.owned) continue;
          const input = inputFor(shape, mine, shared, { index, theirs });
          const outcome = await outcomeOf(callProcedure(stranger.client, procedure, input));
          tried.add(procedure.path);
          if (outcome !== 'NOT_FOUND') wrong.push(`${describeCase(procedure, slot)} answered ${outcome} (input ${JSON.stringify(input)})`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(tried.size).toBeGreaterThanOrEqual(15);
    // Refused before anything was written: neither the owner's data nor the stranger's own changed.
    expect(await snapshotOf(app, owner.user.id)).toEqual(ownerBefore);
    expect(await snapshotOf(app, stranger.user.id)).toEqual(strangerBefore);
  });

  it('are the only reason for those answers: the same inputs with the caller’s own ids get through', async () => {
    // Each mutation runs on a fresh set of the stranger's own things, so one (a delete) cannot spoil the next.
    const wrong: string[] = [];
    for (const procedure of procedures.filter((p) => p.access === 'protected')) {
      for (const shape of procedure.shapes.filter(hasOwnedSlot)) {
        const own = procedure.type === 'mutation' ? await buildOwned(app, stranger, importRoot) : mine;
        const outcome = await outcomeOf(callProcedure(stranger.client, procedure, inputFor(shape, own, shared)));
        // setlist.fm is not configured in tests, so choosing one of its setlists is refused for that reason alone.
        const expected = slotsOf(shape).some((slot) => slot.kind === 'setlist') ? 'BAD_REQUEST' : 'success';
        if (outcome !== expected)
          wrong.push(`${procedure.path} with the caller's own ids answered ${outcome} (input ${JSON.stringify(inputFor(shape, own, shared))})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('leave lists empty: list procedures show nothing of another user', async () => {
    const fresh = await signUp(app, 'fresh');
    expect(await fresh.client.sources.list.query()).toEqual([]);
    expect(await fresh.client.scans.list.query()).toEqual([]);
    expect(await fresh.client.photos.duplicates.query()).toEqual([]);
    expect((await fresh.client.concerts.list.query({})).items).toEqual([]);
    expect((await fresh.client.photos.list.query({ unmatched: true })).items).toEqual([]);
    expect(await fresh.client.exports.list.query()).toEqual([]);
    expect((await fresh.client.inbox.list.query()).unmatched.total).toBe(0);
  });
});

describe('without a session', () => {
  it('every procedure but the public ones answers UNAUTHORIZED (queries, mutations and subscriptions)', async () => {
    const { client } = trpcHttpClient(app.url);
    const wrong: string[] = [];
    for (const procedure of procedures.filter((p) => p.access !== 'public')) {
      for (const shape of procedure.shapes) {
        const outcome = await outcomeOf(callProcedure(client, procedure, fill(shape, sampleId)));
        if (outcome !== 'UNAUTHORIZED') wrong.push(`${procedure.path} answered ${outcome}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('admin procedures', () => {
  it('answer FORBIDDEN to a user who is not an administrator, and do nothing', async () => {
    const user = await signUp(app, 'not-admin');
    const wrong: string[] = [];
    for (const procedure of procedures.filter((p) => p.access === 'admin')) {
      for (const shape of procedure.shapes) {
        const outcome = await outcomeOf(callProcedure(user.client, procedure, fill(shape, sampleId)));
        if (outcome !== 'FORBIDDEN') wrong.push(`${procedure.path} answered ${outcome}`);
      }
    }
    expect(wrong).toEqual([]);
    for (const name of QUEUE_NAMES) expect(await app.services.queues.queue(name).isPaused(), name).toBe(false);
  });

  it('let an administrator through (the check is the role in the database; tests/security/session.test.ts covers changes)', async () => {
    const admin = await signUp(app, 'admin');
    await app.database.db.update(users).set({ role: 'admin' }).where(eq(users.id, admin.user.id));
    await admin.client.auth.login.mutate({ email: admin.email, password: PASSWORD });
    expect(await outcomeOf(admin.client.admin.queues.query())).toBe('success');
  });
});
