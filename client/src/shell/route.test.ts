import { describe, expect, it } from 'vitest';
import { hrefOf, parseHash } from './route.js';

describe('venue addresses', () => {
  it('read #/venues/:id as the venue page, and write it back the same', () => {
    expect(parseHash('#/venues/7')).toEqual({ view: 'venue', venueId: 7 });
    expect(parseHash('#/venues/7?from=map')).toEqual({ view: 'venue', venueId: 7 });
    expect(hrefOf({ view: 'venue', venueId: 7 })).toBe('#/venues/7');
  });

  it('are not found without a positive whole id, or with more after it', () => {
    for (const hash of [
      '#/venues',
      '#/venues/0',
      '#/venues/-1',
      '#/venues/abc',
      '#/venues/1.5',
      '#/venues/99999999999999999999',
      '#/venues/7/shows',
    ]) {
      expect(parseHash(hash), hash).toEqual({ view: 'notFound' });
    }
  });
});

describe('festival addresses', () => {
  it('read #/festivals/:id as the festival page, and write it back the same', () => {
    expect(parseHash('#/festivals/3')).toEqual({ view: 'festival', festivalId: 3 });
    expect(parseHash('#/festivals/3?day=2023-07-21')).toEqual({ view: 'festival', festivalId: 3 });
    expect(hrefOf({ view: 'festival', festivalId: 3 })).toBe('#/festivals/3');
  });

  it('are not found without a positive whole id, or with more after it', () => {
    for (const hash of ['#/festivals', '#/festivals/0', '#/festivals/-2', '#/festivals/oostwind', '#/festivals/2.5', '#/festivals/3/acts']) {
      expect(parseHash(hash), hash).toEqual({ view: 'notFound' });
    }
  });
});
