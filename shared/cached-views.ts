/**
 * Queries the server answers from its wire cache (server/http/cached-views.ts) when
 * they come one to a request: the client sends these unbatched, so each is a GET the
 * cache can answer with stored bytes. Kept equal to the router's cached views by a test.
 */
export const CACHED_VIEW_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.me',
  'concerts.list',
  'concerts.years',
  'concerts.get',
  'photos.list',
  'stats.summary',
  'venues.history',
]);
