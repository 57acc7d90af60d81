import { JOB_NAMES, sendMailPayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export class MailBusyError extends Error {
  constructor(key: string) {
    super(`Another worker holds the claim on mail ${key}; retrying later`);
  }
}

/** Sends one event's mail (server/services/mail.service.ts has the exactly-once story). */
export const sendMailJob = (services: Services) =>
  defineJob({
    queue: 'mail',
    name: JOB_NAMES.sendMail,
    payload: sendMailPayload,
    async handle(payload, { logger, job }) {
      const outcome = await services.mail.deliver(payload, logger);
      // A retry finds the mail sent by the claim holder, or takes over its claim once the lease has passed.
      if (outcome === 'busy') throw new MailBusyError(String(job.id));
      return { outcome };
    },
  });
