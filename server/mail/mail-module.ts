import type { AppConfig } from '../config.js';
import type { Database } from '../db/client.js';
import type { MediaUrls } from '../media/media-urls.js';
import type { JobQueues } from '../queue/queues.js';
import { MailDeliveryRepository } from '../repositories/mail-delivery.repository.js';
import { MailService } from '../services/mail.service.js';
import { NotificationService } from '../services/notification.service.js';
import { OnThisDayService } from '../services/on-this-day.service.js';
import { MailLinks } from './links.js';
import { MailFactsRepository } from './mail-facts.repository.js';
import { createSmtpMailer } from './mailer.js';
import { RecipientRepository } from './recipient.repository.js';
import { UnsubscribeTokens } from './unsubscribe-token.js';

/** The mail side of the product, wired once per process; without SMTP_URL it sends nothing and queues nothing. */
export function createMailServices(config: Pick<AppConfig, 'mail' | 'http'>, db: Database, queues: JobQueues, mediaUrls: MediaUrls) {
  const deliveries = new MailDeliveryRepository(db);
  const recipients = new RecipientRepository(db);
  const facts = new MailFactsRepository(db);
  const tokens = config.mail && new UnsubscribeTokens(config.mail.unsubscribeSecret);
  const mailer = config.mail && createSmtpMailer(config.mail);
  const enabled = config.mail !== null;
  return {
    mail: new MailService(deliveries, recipients, facts, mailer, tokens, new MailLinks(config.http), mediaUrls),
    notifications: new NotificationService(recipients, deliveries, facts, queues, tokens, enabled),
    onThisDay: new OnThisDayService(recipients, facts, queues, enabled),
  };
}
