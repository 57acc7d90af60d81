/**
 * One-click unsubscribe links work without a session, so the link itself is the
 * credential: `<userId>.<kind>.<HMAC(userId, kind)>`. It names one user and one
 * kind of mail, never expires (an old mail's link must still work) and cannot be
 * changed into another user's or another kind's without the secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAIL_KINDS } from '../../drizzle/schema/index.js';
import type { MailKind } from '../repositories/mail-delivery.repository.js';

export class UnsubscribeTokens {
  constructor(private readonly secret: string) {}

  sign(userId: number, kind: MailKind): string {
    return `${userId}.${kind}.${this.signature(userId, kind)}`;
  }

  /** The user and kind a token stands for, or null when it was not made by us. */
  verify(token: string): { userId: number; kind: MailKind } | null {
    const match = /^(\d{1,15})\.([a-z_]{1,32})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const userId = Number(match[1]);
    const kind = match[2] as MailKind;
    if (!MAIL_KINDS.includes(kind)) return null;
    const expected = Buffer.from(this.signature(userId, kind));
    const given = Buffer.from(match[3]!);
    return expected.length === given.length && timingSafeEqual(expected, given) ? { userId, kind } : null;
  }

  private signature(userId: number, kind: MailKind): string {
    return createHmac('sha256', this.secret).update(`unsubscribe\n${userId}\n${kind}`).digest('base64url');
  }
}
