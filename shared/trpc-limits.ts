/**
 * Limits of the tRPC endpoint that the server enforces and the client must respect
 * (its batch link splits larger groups of calls into several requests).
 */

/** Calls in one batched HTTP request; more are refused whole with 400. */
export const MAX_BATCH_SIZE = 10;
