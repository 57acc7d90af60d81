/** The timeline's cards: a concert each, except that a festival's acts seen one after another make one festival card. */

interface Item {
  id: number;
  festival: { id: number; name: string } | null;
}

export type TimelineEntry<T extends Item> =
  | { kind: 'concert'; key: string; concert: T }
  | { kind: 'festival'; key: string; festival: { id: number; name: string }; acts: T[] };

/**
 * Groups consecutive items of one festival (the list is date-ordered, so a festival's
 * acts come together, even across loaded pages: the grouping runs on every page loaded).
 */
export function timelineEntries<T extends Item>(items: readonly T[]): Array<TimelineEntry<T>> {
  const entries: Array<TimelineEntry<T>> = [];
  for (const item of items) {
    const last = entries.at(-1);
    if (item.festival && last?.kind === 'festival' && last.festival.id === item.festival.id) last.acts.push(item);
    else if (item.festival) entries.push({ kind: 'festival', key: `festival:${item.festival.id}:${item.id}`, festival: item.festival, acts: [item] });
    else entries.push({ kind: 'concert', key: `concert:${item.id}`, concert: item });
  }
  return entries;
}
