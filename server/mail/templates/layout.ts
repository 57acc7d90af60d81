/**
 * The one layout of every mail: a text body and an HTML body built from the same
 * parts, so the two never say different things. Everything from the database is
 * escaped in the HTML; images are our own signed media URLs, never a Drive link.
 */
import type { MailConcert } from '../../repositories/mail-facts.repository.js';

export interface MailConcertView extends Omit<MailConcert, 'imageKey'> {
  /** Absolute: the concert page. */
  url: string;
  /** Absolute signed media URL, or null without a photo. */
  imageUrl: string | null;
}

export interface MailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  concerts: MailConcertView[];
  /** What the unsubscribe link stops, e.g. "milestone mails". */
  kindLabel: string;
}

export interface MailLinksForLayout {
  unsubscribeUrl: string;
  settingsUrl: string;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "Friday, 5 July 2019": a concert's local date, read as the calendar date it is. */
export function formatConcertDate(date: string): string {
  return dateFormat.format(new Date(`${date}T00:00:00Z`));
}

export function concertTitle(concert: Pick<MailConcert, 'artistName' | 'venueName' | 'city'>): string {
  const artist = concert.artistName ?? 'A concert';
  const place = [concert.venueName, concert.city].filter(Boolean).join(', ');
  return place ? `${artist} at ${place}` : artist;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderMail(content: MailContent, links: MailLinksForLayout): { subject: string; text: string; html: string } {
  const footer = `You get this mail because ${content.kindLabel} are on for your Concert History account.`;
  const text = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...content.concerts.flatMap((c) => [`* ${concertTitle(c)}`, `  ${formatConcertDate(c.concertDate)}`, `  ${c.url}`, '']),
    '--',
    footer,
    `Stop ${content.kindLabel} with one click: ${links.unsubscribeUrl}`,
    `All mail settings: ${links.settingsUrl}`,
    '',
  ].join('\n');

  const concertsHtml = content.concerts
    .map(
      (c) => `<tr><td style="padding:12px 0;border-top:1px solid #e5e5e5">
${c.imageUrl ? `<a href="${escapeHtml(c.url)}"><img src="${escapeHtml(c.imageUrl)}" width="400" alt="${escapeHtml(concertTitle(c))}" style="display:block;max-width:100%;height:auto;border-radius:6px;margin-bottom:8px"></a>` : ''}
<a href="${escapeHtml(c.url)}" style="color:#111;font-weight:600;text-decoration:none">${escapeHtml(concertTitle(c))}</a><br>
<span style="color:#555">${escapeHtml(formatConcertDate(c.concertDate))}</span>
</td></tr>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#fafafa;font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#111">
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<tr><td><p>${escapeHtml(content.greeting)}</p>
${content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}</td></tr>
${concertsHtml}
<tr><td style="padding-top:24px;color:#666;font-size:13px">
<p>${escapeHtml(footer)}</p>
<p><a href="${escapeHtml(links.unsubscribeUrl)}">Unsubscribe from ${escapeHtml(content.kindLabel)}</a> · <a href="${escapeHtml(links.settingsUrl)}">Mail settings</a></p>
</td></tr></table></body></html>
`;
  return { subject: content.subject, text, html };
}
