/** Inputs of the operators' procedures (`admin.*`). */
import { z } from 'zod';
import { QUEUE_NAMES } from './queues.js';

export const MAX_WORKER_CONCURRENCY = 64;

export const queueInput = z.object({ queue: z.enum(QUEUE_NAMES) });

export const setConcurrencyInput = queueInput.extend({
  concurrency: z.number().int().min(1).max(MAX_WORKER_CONCURRENCY),
});
