import { describe, expect, it } from 'vitest';
import { actBySetTimes, clusterFestivalPhotos, rankActs, type LineupActForFit } from './festival-clusters.js';

const MAIN = { latitude: 52.36, longitude: 4.95 };
// About 250 m east of the main stage.
const LAKE = { latitude: 52.36, longitude: 4.9537 };
const ZONE = 'Europe/Amsterdam';

/** A photo at a local time of 2023-07-14's evening in Amsterdam (UTC+2 in July). */
function photo(id: number, local: string, at: { latitude: number; longitude: number } | null) {
  const [date, time] = local.includes(' ') ? local.split(' ') : ['2023-07-14', local];
  return { id, takenAt: new Date(`${date}T${time}:00+02:00`), timeZone: ZONE, latitude: at?.latitude ?? null, longitude: at?.longitude ?? null };
}

describe('clustering a festival day', () => {
  it('splits at a pause of more than 20 minutes and keeps photos past midnight in the evening', () => {
    const clusters = clusterFestivalPhotos([
      photo(1, '18:00', MAIN),
      photo(2, '18:15', MAIN),
      photo(3, '18:34', null),
      photo(4, '19:10', MAIN),
      photo(5, '2023-07-15 00:20', MAIN),
      photo(6, '2023-07-15 00:35', MAIN),
    ]);
    expect(clusters.map((c) => c.photoIds)).toEqual([[1, 2, 3], [4], [5, 6]]);
    expect(clusters.every((c) => c.evening === '2023-07-14')).toBe(true);
    // 00:20 is 24 h 20 min after the evening's midnight.
    expect(clusters[2]).toMatchObject({ start: 24 * 60 + 20, end: 24 * 60 + 35 });
  });

  it('splits when the photos move to another stage, even without a pause', () => {
    const clusters = clusterFestivalPhotos([photo(1, '18:00', MAIN), photo(2, '18:05', MAIN), photo(3, '18:12', LAKE), photo(4, '18:14', LAKE)]);
    expect(clusters.map((c) => c.photoIds)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('leaves photos without a capture time out', () => {
    expect(clusterFestivalPhotos([{ id: 9, takenAt: null, timeZone: null, latitude: null, longitude: null }])).toEqual([]);
  });
});

const act = (id: number, over: Partial<LineupActForFit> = {}): LineupActForFit => ({
  id,
  stage: 'Main Stage',
  position: id,
  setStart: null,
  setEnd: null,
  seen: false,
  ...over,
});

describe('ranking the day’s acts for a cluster', () => {
  const [cluster] = clusterFestivalPhotos([photo(1, '21:10', LAKE), photo(2, '21:40', LAKE)]);

  it('keeps setlist.fm’s order when nothing is known, and puts an act already seen that day last', () => {
    const ranked = rankActs(cluster!, [act(1, { seen: true }), act(2), act(3)], new Map());
    expect(ranked.map((r) => r.actId)).toEqual([2, 3, 1]);
    expect(ranked[2]!.reasons).toEqual(['already_assigned']);
  });

  it('puts the act whose set times hold the cluster first and one played at another time last', () => {
    const ranked = rankActs(
      cluster!,
      [act(1, { setStart: '18:00', setEnd: '19:00' }), act(2), act(3, { setStart: '21:00', setEnd: '22:00' })],
      new Map(),
    );
    expect(ranked.map((r) => r.actId)).toEqual([3, 2, 1]);
    expect(ranked[0]!.reasons).toEqual(['in_set_time']);
    expect(ranked[2]!.reasons).toEqual(['outside_set_time']);
  });

  it('prefers the act at the stage the photos were taken at, once the stage’s place is known', () => {
    const ranked = rankActs(
      cluster!,
      [act(1, { stage: 'Main Stage' }), act(2, { stage: 'Lake Stage' })],
      new Map([
        ['Main Stage', MAIN],
        ['Lake Stage', LAKE],
      ]),
    );
    expect(ranked.map((r) => [r.actId, r.reasons])).toEqual([
      [2, ['at_its_stage']],
      [1, ['at_another_stage']],
    ]);
  });
});

describe('assigning by set times', () => {
  const [late] = clusterFestivalPhotos([photo(1, '2023-07-15 00:05', MAIN), photo(2, '2023-07-15 00:40', MAIN)]);

  it('assigns a cluster past midnight to the set that ran past midnight', () => {
    expect(actBySetTimes(late!, [act(1, { setStart: '21:00', setEnd: '22:00' }), act(2, { setStart: '23:15', setEnd: '00:45' })], new Map())).toBe(2);
  });

  it('assigns nothing when no set or two sets hold the cluster, unless the stage tells them apart', () => {
    const overlapping = [
      act(1, { stage: 'Main Stage', setStart: '23:30', setEnd: '01:00' }),
      act(2, { stage: 'Lake Stage', setStart: '23:45', setEnd: '00:50' }),
    ];
    expect(actBySetTimes(late!, [act(1)], new Map())).toBeNull();
    expect(actBySetTimes(late!, overlapping, new Map())).toBeNull();
    expect(
      actBySetTimes(
        late!,
        overlapping,
        new Map([
          ['Main Stage', MAIN],
          ['Lake Stage', LAKE],
        ]),
      ),
    ).toBe(1);
  });
});
