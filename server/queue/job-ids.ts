import { createHash } from 'node:crypto';
import { JOBS, type JobInput, type JobName } from '../../shared/jobs.js';

/** A file id or event key, made short and free of ':' for a job id. */
function digest(part: string): string {
  return createHash('sha256').update(part).digest('hex').slice(0, 32);
}

/** The one place job ids are made, from the job table's `id` (shared/jobs.ts). */
export function jobIdOf<Name extends JobName>(name: Name, payload: JobInput<Name>): string {
  const makeId = (JOBS[name] as { id?: (payload: JobInput<Name>, digest: (part: string) => string) => string }).id;
  if (!makeId) throw new Error(`Job "${name}" is made by a job scheduler and has no job id`);
  return makeId(payload, digest);
}

/** The id of a scheduled job's scheduler, from the job table's `scheduler`. */
export function schedulerIdOf<Name extends JobName>(name: Name, payload: JobInput<Name>): string {
  const makeId = (JOBS[name] as { scheduler?: (payload: JobInput<Name>) => string }).scheduler;
  if (!makeId) throw new Error(`Job "${name}" is not made by a job scheduler`);
  return makeId(payload);
}

/** The scheduler id's parts, or null for a scheduler that is not a source's rescan. */
export function parseRescanSchedulerId(id: string): { userId: number; sourceId: number } | null {
  const match = /^rescan-(\d+)-(\d+)$/.exec(id);
  return match ? { userId: Number(match[1]), sourceId: Number(match[2]) } : null;
}
