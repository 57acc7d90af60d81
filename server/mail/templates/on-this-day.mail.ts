import type { MailConcertView, MailContent } from './layout.js';
import { concertTitle } from './layout.js';

export function onThisDayMail({ name, year, concerts }: { name: string; year: number; concerts: MailConcertView[] }): MailContent {
  const first = concerts[0]!;
  const yearsAgo = (c: MailConcertView) => year - Number(c.concertDate.slice(0, 4));
  const ago = (c: MailConcertView) => (yearsAgo(c) === 1 ? 'a year ago' : `${yearsAgo(c)} years ago`);
  return {
    subject: concerts.length === 1 ? `On this day ${ago(first)}: ${concertTitle(first)}` : `On this day: ${concerts.length} concerts from past years`,
    greeting: `Hi ${name},`,
    paragraphs: concerts.map((c) => `${ago(c)[0]!.toUpperCase()}${ago(c).slice(1)} today: ${concertTitle(c)}.`),
    concerts,
    kindLabel: '"on this day" mails',
  };
}
