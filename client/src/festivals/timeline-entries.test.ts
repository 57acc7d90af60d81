import { describe, expect, it } from 'vitest';
import { timelineEntries } from './timeline-entries.js';

const festival = { id: 3, name: 'Oostwind Festival' };
const concert = (id: number, inFestival: typeof festival | null = null) => ({ id, festival: inFestival });

describe('the timeline entries', () => {
  it('make one festival card of the acts of a festival that follow each other', () => {
    const entries = timelineEntries([concert(1), concert(2, festival), concert(3, festival), concert(4, festival), concert(5)]);
    expect(entries.map((entry) => entry.kind)).toEqual(['concert', 'festival', 'concert']);
    const card = entries[1]!;
    expect(card.kind === 'festival' && card.acts.map((act) => act.id)).toEqual([2, 3, 4]);
    expect(card.kind === 'festival' && card.festival).toEqual(festival);
  });

  it('keep two festivals apart, and a festival broken by another concert in two cards', () => {
    const other = { id: 4, name: 'Other Fest' };
    const entries = timelineEntries([concert(1, festival), concert(2, other), concert(3, festival), concert(4), concert(5, festival)]);
    expect(entries.map((entry) => (entry.kind === 'festival' ? `f${entry.festival.id}` : 'c'))).toEqual(['f3', 'f4', 'f3', 'c', 'f3']);
    expect(new Set(entries.map((entry) => entry.key)).size).toBe(entries.length);
  });

  it('leave a timeline without festivals a card per concert', () => {
    expect(timelineEntries([concert(1), concert(2)]).map((entry) => entry.kind)).toEqual(['concert', 'concert']);
  });
});
