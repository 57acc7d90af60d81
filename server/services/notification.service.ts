import { NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { isTimeZone } from '../mail/local-clock.js';
import type { MailFactsRepository } from '../repositories/mail-facts.repository.js';
import { highestMilestone, milestoneOfKey } from '../mail/milestones.js';
import type { MailPreferences, RecipientRepository } from '../repositories/recipient.repository.js';
import type { UnsubscribeTokens } from '../mail/unsubscribe-token.js';
import type { JobInput } from '../../shared/jobs.js';
import type { JobSender } from '../queue/job-sender.js';
import type { MailDeliveryRepository, MailKind } from '../repositories/mail-delivery.repository.js';

/**
 * Which mails an event earns, and the user's say in it: preferences in settings
 * and the one-click unsubscribe links. Sending is MailService's job.
 */
export class NotificationService {
  constructor(
    private readonly recipients: RecipientRepository,
    private readonly deliveries: MailDeliveryRepository,
    private readonly facts: MailFactsRepository,
    private readonly jobs: JobSender,
    private readonly tokens: UnsubscribeTokens | null,
    private readonly mailEnabled: boolean,
  ) {}

  /**
   * After a completed scan: a summary when it found new photos (a scheduled rescan of
   * an unchanged library stays silent), and a milestone when the user's concert count
   * reached a new one. Several milestones crossed at once (a first scan of a big
   * library) earn one mail, for the highest: each milestone is mailed at most once,
   * and none below one already mailed.
   */
  async afterScan(userId: number, scanId: number, logger: Pick<Logger, 'info'>): Promise<{ queued: MailKind[] }> {
    if (!this.mailEnabled) return { queued: [] };
    const recipient = await this.recipients.recipient(userId);
    if (!recipient) return { queued: [] };
    const mails: Array<JobInput<'send-mail'>> = [];
    if (recipient.scan_finished) {
      const scan = await this.facts.scan(userId, scanId);
      if (scan?.status === 'completed' && scan.listed > 0) mails.push({ kind: 'scan_finished', userId, scanId });
    }
    if (recipient.milestone) {
      const milestone = await this.newMilestone(userId);
      if (milestone) mails.push({ kind: 'milestone', userId, milestone });
    }
    await this.jobs.addBulk('send-mail', mails);
    if (mails.length) logger.info({ userId, scanId, mails: mails.map((m) => m.kind) }, 'mails queued after scan');
    return { queued: mails.map((m) => m.kind) };
  }

  private async newMilestone(userId: number): Promise<number | null> {
    const reached = highestMilestone(await this.facts.countConcerts(userId));
    if (!reached) return null;
    const mailed = (await this.deliveries.milestoneKeys(userId)).map(milestoneOfKey).filter((m): m is number => m !== null);
    return mailed.some((m) => m >= reached) ? null : reached;
  }

  async preferences(userId: number): Promise<MailPreferences & { mailEnabled: boolean }> {
    const preferences = await this.recipients.preferences(userId);
    if (!preferences) throw new NotFoundError('Account');
    return { ...preferences, mailEnabled: this.mailEnabled };
  }

  async updatePreferences(userId: number, patch: Partial<MailPreferences>) {
    if (patch.timeZone && !isTimeZone(patch.timeZone)) throw new ValidationError(`Unknown time zone "${patch.timeZone}"`);
    await this.recipients.updatePreferences(userId, patch);
    return this.preferences(userId);
  }

  /** Null when the token is not ours (or mail is off on this server); else the kind now turned off. */
  async unsubscribe(token: string): Promise<{ kind: MailKind } | null> {
    const subject = this.tokens?.verify(token);
    if (!subject) return null;
    await this.recipients.updatePreferences(subject.userId, { [subject.kind]: false });
    return { kind: subject.kind };
  }

  /** What an unsubscribe page may say before the click, without changing anything. */
  describeToken(token: string): { kind: MailKind } | null {
    const subject = this.tokens?.verify(token);
    return subject ? { kind: subject.kind } : null;
  }
}
