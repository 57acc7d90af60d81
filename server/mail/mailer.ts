import nodemailer from 'nodemailer';
import type { AppConfig } from '../config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Shown by mail clients as their own "Unsubscribe" button (RFC 2369), one click (RFC 8058). */
  unsubscribeUrl: string;
  /** Sent as a header too, so a message can be traced back to its event in the ledger. */
  idempotencyKey: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string | null }>;
  close(): void;
}

/** Mail over SMTP (SMTP_URL) from MAIL_FROM; a failure to deliver throws and the job retries. */
export function createSmtpMailer(mail: NonNullable<AppConfig['mail']>): Mailer {
  // Bounded so a hung SMTP server cannot hold a mail's claim past its lease (MAIL_CLAIM_LEASE_MS).
  const transport = nodemailer.createTransport({ url: mail.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  return {
    async send({ to, subject, text, html, unsubscribeUrl, idempotencyKey }) {
      const info = await transport.sendMail({
        from: mail.from,
        to,
        subject,
        text,
        html,
        list: { unsubscribe: unsubscribeUrl },
        headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Concert-History-Event': idempotencyKey },
      });
      return { messageId: typeof info.messageId === 'string' ? info.messageId : null };
    },
    close: () => transport.close(),
  };
}
