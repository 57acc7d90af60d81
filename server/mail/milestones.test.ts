import { describe, expect, it } from 'vitest';
import { highestMilestone, isMilestone, milestoneKey, milestoneOfKey, ordinal } from './milestones.js';

describe('concert milestones', () => {
  it('are 10, 25, 50, 100, 250, 500, 1000 and on by the same steps', () => {
    const found = Array.from({ length: 10_000 }, (_, i) => i + 1).filter(isMilestone);
    expect(found).toEqual([10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]);
  });

  it('finds the highest milestone a count has reached', () => {
    expect(highestMilestone(9)).toBeNull();
    expect(highestMilestone(10)).toBe(10);
    expect(highestMilestone(24)).toBe(10);
    expect(highestMilestone(60)).toBe(50);
    expect(highestMilestone(999)).toBe(500);
    expect(highestMilestone(1000)).toBe(1000);
    expect(highestMilestone(3000)).toBe(2500);
  });

  it('round-trips the idempotency key and writes ordinals', () => {
    expect(milestoneOfKey(milestoneKey(250))).toBe(250);
    expect(milestoneOfKey('on_this_day:2024-01-01')).toBeNull();
    expect([ordinal(10), ordinal(25), ordinal(1000), ordinal(1), ordinal(22), ordinal(13)]).toEqual([
      '10th',
      '25th',
      '1,000th',
      '1st',
      '22nd',
      '13th',
    ]);
  });
});
