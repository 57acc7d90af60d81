/**
 * What a unit of background work tells the job layer when it ends, as Immich's
 * handlers return a job status. Services return these and know nothing of the
 * queue library: the job layer (worker/job-registry.ts) maps them to BullMQ, and
 * the scan pipeline (worker/scan-pipeline.ts) decides what follows each one.
 *
 * - `done`: the work is done; `value` is what it hands on.
 * - `skipped`: nothing to do, or nothing more (the scan was cancelled, the account
 *   is gone); nothing follows.
 * - `failed`: failed for good, with a reason a person can read; no retry can fix it.
 * - `retry`: try again later, at `at` when given (a quota that resets tomorrow),
 *   else after the job's backoff.
 *
 * Throwing is the fourth way to end: an unexpected error, retried with backoff
 * until the job's attempts run out, after which it counts as failed.
 */
export type Outcome<Value = unknown> =
  | { status: 'done'; value: Value }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'retry'; reason: string; at?: Date };

export const done = <Value>(value: Value): Outcome<Value> => ({ status: 'done', value });
export const skipped = (reason: string): Outcome<never> => ({ status: 'skipped', reason });
export const failed = (reason: string): Outcome<never> => ({ status: 'failed', reason });
export const retryLater = (reason: string, at?: Date): Outcome<never> => (at ? { status: 'retry', reason, at } : { status: 'retry', reason });

/** What a long piece of work asks between two steps: should it stop (the scan was cancelled)? */
export type StopCheck = () => Promise<boolean>;
export const neverStop: StopCheck = async () => false;
