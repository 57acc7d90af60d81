import { ordinal } from '../milestones.js';
import type { MailConcertView, MailContent } from './layout.js';
import { concertTitle } from './layout.js';

export function milestoneMail({ name, milestone, concert }: { name: string; milestone: number; concert: MailConcertView }): MailContent {
  return {
    subject: `Your ${ordinal(milestone)} concert: ${concertTitle(concert)}`,
    greeting: `Hi ${name},`,
    paragraphs: [
      `${milestone.toLocaleString('en-US')} concerts in your history! Number ${milestone.toLocaleString('en-US')} was ${concertTitle(concert)}.`,
    ],
    concerts: [concert],
    kindLabel: 'milestone mails',
  };
}
