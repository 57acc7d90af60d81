import { venueHistoryInput } from '../../shared/venue.schema.js';
import { CACHE_TTL } from '../cache/versioned-cache.js';
import { viewTags } from '../cache/view-versions.js';
import type { VenueHistory } from '../services/venue-history.service.js';
import { cachedView, protectedProcedure, router } from '../trpc/init.js';

export const venuesRouter = router({
  // A venue's page shows which concerts were there and what the timeline shows of each (`t`), each one's tour (only
  // its page's tag is bumped when the tour alone changes) and each one's photo strip.
  history: protectedProcedure
    .meta(
      cachedView<VenueHistory>(CACHE_TTL.concertList, (_input, page) => [
        viewTags.timeline,
        ...page.shows.flatMap((show) => [viewTags.concert(show.id), viewTags.photos(show.id)]),
      ]),
    )
    .input(venueHistoryInput)
    .query(({ ctx, input }) => ctx.services.venueHistory.history(ctx.user.id, input.venueId)),
});
