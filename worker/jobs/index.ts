import type { JobHandler } from '../job-registry.js';

/**
 * Every job handler of the product, one module per job (`<name>.job.ts`).
 * The scan pipeline's jobs are added here as they are built.
 */
export const jobHandlers: readonly JobHandler[] = [];
