/**
 * /api/unsubscribe?token=…: the link in every mail, working without a session
 * (the signed token is the credential, server/mail/unsubscribe-token.ts).
 *
 * GET never changes anything (link scanners and previews follow links): it shows
 * what the link would turn off and a button. POST turns it off: the page's form,
 * or a mail client's RFC 8058 one-click request (`List-Unsubscribe=One-Click`).
 * The CSRF guard covers cookie-authenticated /trpc only; here a forged POST could
 * do no more than the token in it allows, which is what its holder may do anyway.
 */
import { Router, type Request, type Response } from 'express';
import { escapeHtml } from '../mail/templates/layout.js';
import type { MailKind } from '../repositories/mail-delivery.repository.js';
import type { Services } from '../services/index.js';

const KIND_LABELS: Record<MailKind, string> = {
  scan_finished: 'scan summaries',
  milestone: 'milestone mails',
  on_this_day: '"on this day" mails',
};

export function unsubscribeRoutes(services: Pick<Services, 'notifications'>): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const token = tokenOf(req);
    const subject = token && services.notifications.describeToken(token);
    if (!subject) return void invalid(res);
    page(
      res,
      200,
      'Unsubscribe',
      `
<p>Stop ${escapeHtml(KIND_LABELS[subject.kind])} from Concert History?</p>
<form method="post" action="?token=${encodeURIComponent(token)}">
<button type="submit">Unsubscribe from ${escapeHtml(KIND_LABELS[subject.kind])}</button>
</form>
<p class="note">Your other mails stay as they are. You can turn this back on in Settings.</p>`,
    );
  });

  router.post('/', async (req, res, next) => {
    try {
      const token = tokenOf(req);
      const done = token ? await services.notifications.unsubscribe(token) : null;
      if (!done) return void invalid(res);
      req.log.info({ kind: done.kind }, 'unsubscribed by mail link');
      page(
        res,
        200,
        'Unsubscribed',
        `
<p>Done: you will get no more ${escapeHtml(KIND_LABELS[done.kind])}.</p>
<p class="note">Changed your mind? Turn them back on in Settings.</p>`,
      );
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function tokenOf(req: Request): string | null {
  const token = req.query['token'];
  return typeof token === 'string' && token.length <= 200 ? token : null;
}

function invalid(res: Response) {
  page(
    res,
    400,
    'Link not valid',
    '<p>This unsubscribe link is not valid. Copy the whole link from the mail, or change your mail settings in the app.</p>',
  );
}

function page(res: Response, status: number, title: string, body: string) {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Concert History</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#111}button{font:inherit;padding:.6rem 1rem;border-radius:6px;border:0;background:#111;color:#fff;cursor:pointer}.note{color:#555}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>
`);
}
