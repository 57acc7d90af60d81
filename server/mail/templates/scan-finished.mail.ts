import type { MailConcertView, MailContent } from './layout.js';

export interface ScanFinishedFacts {
  name: string;
  sourceLabel: string | null;
  counts: { listed: number; processed: number; failed: number; duplicates: number; matched: number };
  concertTotal: number;
  concerts: MailConcertView[];
}

const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

export function scanFinishedMail({ name, sourceLabel, counts, concertTotal, concerts }: ScanFinishedFacts): MailContent {
  const library = sourceLabel ?? 'your photo library';
  const found = [
    `${n(counts.listed, 'new photo')} read`,
    `${n(counts.matched, 'photo')} placed at concerts`,
    ...(counts.duplicates ? [`${n(counts.duplicates, 'extra copy', 'extra copies')} grouped`] : []),
    ...(counts.failed ? [`${n(counts.failed, 'file')} could not be read`] : []),
  ];
  return {
    subject: concertTotal ? `Your scan of ${library} found ${n(concertTotal, 'concert')}` : `Your scan of ${library} is done`,
    greeting: `Hi ${name},`,
    paragraphs: [
      `The scan of ${library} has finished: ${found.join(', ')}.`,
      ...(concertTotal
        ? [`Its photos are in ${n(concertTotal, 'concert')}${concertTotal > concerts.length ? `; the latest ${concerts.length} are below` : ''}.`]
        : ['None of its photos could be placed at a concert yet; the review inbox has them.']),
    ],
    concerts,
    kindLabel: 'scan summaries',
  };
}
