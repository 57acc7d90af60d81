/**
 * Sending one event's mail, exactly once per event as far as SMTP allows:
 *
 * 1. the user still wants this kind (they may have unsubscribed since it was queued);
 * 2. the event is claimed in the mail ledger (insert on a unique key; a claim older
 *    than the lease, left by a crashed sender, can be taken over by one worker);
 * 3. the facts are read now, the mail rendered and handed to SMTP;
 * 4. the claim is marked sent.
 *
 * A crash between 3 and 4 means the mail is sent again once the lease has passed:
 * at-least-once, by choice — a lost "on this day" mail cannot be noticed, a rare
 * double can. Everything before the SMTP hand-off releases the claim on failure.
 */
import type { Logger } from '../logger.js';
import type { JobPayload } from '../../shared/jobs.js';
import { mailEventKey } from '../../shared/mail-events.js';
import type { MailFactsRepository, MailConcert } from '../repositories/mail-facts.repository.js';
import type { Mailer } from '../mail/mailer.js';
import type { MailLinks } from '../mail/links.js';
import type { RecipientRepository } from '../repositories/recipient.repository.js';
import { renderMail, type MailConcertView, type MailContent } from '../mail/templates/layout.js';
import { milestoneMail } from '../mail/templates/milestone.mail.js';
import { onThisDayMail } from '../mail/templates/on-this-day.mail.js';
import { scanFinishedMail } from '../mail/templates/scan-finished.mail.js';
import type { UnsubscribeTokens } from '../mail/unsubscribe-token.js';
import type { MediaUrls } from '../media/media-urls.js';
import type { MailDeliveryRepository } from '../repositories/mail-delivery.repository.js';

/** A claim older than this belongs to a sender that died; SMTP timeouts keep a live send well under it. */
export const MAIL_CLAIM_LEASE_MS = 5 * 60_000;

export type DeliveryOutcome =
  | 'sent'
  | 'already-sent'
  /** Another worker holds the claim: the job retries and then finds it sent (or takes over an expired claim). */
  | 'busy'
  | 'mail-off'
  | 'unwanted'
  | 'nothing-to-tell';

/** One event's mail, as its `send-mail` job carries it. */
export type MailEvent = JobPayload<'send-mail'>;

type Recipient = NonNullable<Awaited<ReturnType<RecipientRepository['recipient']>>>;

export class MailService {
  constructor(
    private readonly deliveries: MailDeliveryRepository,
    private readonly recipients: RecipientRepository,
    private readonly facts: MailFactsRepository,
    /** Null without SMTP_URL: nothing is sent and nothing recorded. */
    private readonly mailer: Mailer | null,
    private readonly tokens: UnsubscribeTokens | null,
    private readonly links: MailLinks,
    private readonly mediaUrls: MediaUrls,
  ) {}

  get enabled(): boolean {
    return this.mailer !== null;
  }

  async deliver(event: MailEvent, logger: Pick<Logger, 'info'>): Promise<DeliveryOutcome> {
    if (!this.mailer || !this.tokens) return 'mail-off';
    const recipient = await this.recipients.recipient(event.userId);
    if (!recipient) return 'nothing-to-tell';
    if (!recipient[event.kind]) return 'unwanted';
    const key = mailEventKey(event);
    const claim = await this.deliveries.claim(event.userId, event.kind, key, MAIL_CLAIM_LEASE_MS);
    if (claim.outcome === 'sent') return 'already-sent';
    if (claim.outcome === 'busy') return 'busy';

    let mail;
    try {
      const content = await this.compose(event, recipient);
      if (!content) {
        await this.deliveries.release(event.userId, claim.deliveryId);
        return 'nothing-to-tell';
      }
      const unsubscribeUrl = this.links.unsubscribe(this.tokens.sign(event.userId, event.kind));
      mail = { ...renderMail(content, { unsubscribeUrl, settingsUrl: this.links.settings() }), unsubscribeUrl };
    } catch (error) {
      await this.deliveries.release(event.userId, claim.deliveryId);
      throw error;
    }

    let messageId: string | null;
    try {
      ({ messageId } = await this.mailer.send({ ...mail, to: recipient.email, idempotencyKey: key }));
    } catch (error) {
      // SMTP refused or failed before accepting it: nothing went out, the retry may claim at once.
      await this.deliveries.release(event.userId, claim.deliveryId);
      throw error;
    }
    await this.deliveries.markSent(event.userId, claim.deliveryId, messageId);
    logger.info({ userId: event.userId, kind: event.kind, key, messageId }, 'mail sent');
    return 'sent';
  }

  private async compose(event: MailEvent, recipient: Recipient): Promise<MailContent | null> {
    const name = recipient.name;
    switch (event.kind) {
      case 'scan_finished': {
        const scan = await this.facts.scan(event.userId, event.scanId);
        if (scan?.status !== 'completed' || scan.listed === 0) return null;
        const { total, concerts } = await this.facts.concertsOfScan(event.userId, event.scanId, 5);
        return scanFinishedMail({
          name,
          sourceLabel: scan.sourceLabel,
          counts: scan,
          concertTotal: total,
          concerts: concerts.map((c) => this.view(c)),
        });
      }
      case 'milestone': {
        const concert = await this.facts.nthConcert(event.userId, event.milestone);
        return concert && milestoneMail({ name, milestone: event.milestone, concert: this.view(concert) });
      }
      case 'on_this_day': {
        const [year, month, day] = event.date.split('-').map(Number) as [number, number, number];
        const concerts = await this.facts.onThisDay(event.userId, month, day, `${year}-01-01`, 10);
        return concerts.length ? onThisDayMail({ name, year, concerts: concerts.map((c) => this.view(c)) }) : null;
      }
    }
  }

  private view({ imageKey, ...concert }: MailConcert): MailConcertView {
    return {
      ...concert,
      url: this.links.concert(concert.id),
      // Signed like every photo URL, so it expires with MEDIA_URL_TTL_SECONDS (docs/notifications.md).
      imageUrl: imageKey ? this.links.absolute(this.mediaUrls.url(imageKey)) : null,
    };
  }
}
