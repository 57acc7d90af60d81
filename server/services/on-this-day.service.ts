/**
 * The "on this day" sweep, run hourly by a job scheduler on the `schedule` queue.
 *
 * Cost per run: the users who want these mails are read by primary key in pages of
 * PAGE_SIZE (one index range scan each, plus one index dive per user for the zone of
 * their latest concert when they set none). Only users for whom it is now morning
 * (MORNING_FROM–MORNING_UNTIL local) go further: one query per page and local date
 * asks which of them have concerts on that month and day in earlier years, reading
 * only those users' ranges of concerts_user_date_idx. So each user's concerts are
 * read at most three times a day (the morning hours), everyone else's not at all.
 * Mails go out as jobs whose ids, and the mail ledger's key `on_this_day:<local
 * date>`, make a second sweep in the same morning a no-op.
 */
import type { Logger } from '../logger.js';
import { localClock, type LocalClock } from '../mail/local-clock.js';
import type { MailFactsRepository } from '../repositories/mail-facts.repository.js';
import type { RecipientRepository } from '../repositories/recipient.repository.js';
import type { JobSchedulers, JobSender } from '../queue/job-sender.js';

export const ON_THIS_DAY_SWEEP_PATTERN = '7 * * * *';
const MORNING_FROM = 9;
/** Three hourly chances: a sweep missed while workers restart does not cost the day's mail. */
const MORNING_UNTIL = 12;
const PAGE_SIZE = 500;

export class OnThisDayService {
  constructor(
    private readonly recipients: RecipientRepository,
    private readonly facts: MailFactsRepository,
    private readonly jobs: JobSender & Pick<JobSchedulers, 'upsertScheduler'>,
    private readonly mailEnabled: boolean,
  ) {}

  /** Idempotent: every worker of the `schedule` queue calls it at start. */
  async ensureScheduled(): Promise<void> {
    await this.jobs.upsertScheduler('on-this-day-sweep', {}, ON_THIS_DAY_SWEEP_PATTERN);
  }

  async sweep(now: Date, logger: Pick<Logger, 'info'>): Promise<{ users: number; mornings: number; queued: number }> {
    const totals = { users: 0, mornings: 0, queued: 0 };
    if (!this.mailEnabled) return totals;
    for (let afterId = 0; ; ) {
      const page = await this.recipients.onThisDayPage(afterId, PAGE_SIZE);
      if (!page.length) break;
      afterId = page.at(-1)!.id;
      totals.users += page.length;
      const byDate = new Map<string, { clock: LocalClock; userIds: number[] }>();
      for (const user of page) {
        const clock = localClock(user.timeZone, now);
        if (clock.hour < MORNING_FROM || clock.hour >= MORNING_UNTIL) continue;
        const group = byDate.get(clock.date) ?? { clock, userIds: [] };
        group.userIds.push(user.id);
        byDate.set(clock.date, group);
      }
      for (const { clock, userIds } of byDate.values()) {
        totals.mornings += userIds.length;
        const withConcerts = await this.facts.usersWithConcertsOn(userIds, clock.month, clock.day, `${clock.year}-01-01`);
        await this.jobs.addBulk(
          'send-mail',
          withConcerts.map((userId) => ({ kind: 'on_this_day' as const, userId, date: clock.date })),
        );
        totals.queued += withConcerts.length;
      }
      if (page.length < PAGE_SIZE) break;
    }
    logger.info(totals, 'on this day sweep done');
    return totals;
  }
}
