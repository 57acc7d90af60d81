import { describe, expect, it } from 'vitest';
import { CACHED_VIEW_PROCEDURES } from '../../shared/cached-views.js';
import { cachedViewSpecs } from './router.js';

describe('the cached views', () => {
  it('are the ones the client sends unbatched (and auth.me, answered from the session)', () => {
    expect([...CACHED_VIEW_PROCEDURES].sort()).toEqual(['auth.me', ...cachedViewSpecs().keys()].sort());
  });
});
