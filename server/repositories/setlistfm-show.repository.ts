import { and, desc, eq } from 'drizzle-orm';
import { setlistfmShows } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import type { ConcertFacts } from '../services/concert-matching.service.js';

/**
 * The shared facts of setlist.fm's shows (drizzle/schema/setlistfm-shows.ts): what
 * setlist.fm said about an evening at one of its venues, so that every user's
 * matching reuses it without asking again. Only setlist.fm's answers are written here.
 */
export class SetlistFmShowRepository {
  constructor(private readonly db: Database) {}

  /** What setlist.fm last said about this evening at this venue of theirs, or null when we never asked. */
  async at(setlistfmVenueId: string, date: string): Promise<ConcertFacts | null> {
    const [row] = await this.db
      .select()
      .from(setlistfmShows)
      .where(and(eq(setlistfmShows.setlistfmVenueId, setlistfmVenueId), eq(setlistfmShows.showDate, date)))
      .orderBy(desc(setlistfmShows.updatedAt))
      .limit(1);
    if (!row) return null;
    return {
      artist: { name: row.artistName, mbid: row.artistMbid, sortName: row.artistSortName },
      supportingActs: row.supportingActs,
      tour: row.tour,
      setlist: row.setlist,
      setlistfmId: row.setlistfmId,
      setlistfmUrl: row.url,
    };
  }

  /** Keeps setlist.fm's answer for this evening (a later answer about the same setlist replaces it). */
  async record(setlistfmVenueId: string, date: string, facts: ConcertFacts & { setlistfmId: string }): Promise<void> {
    const row = {
      setlistfmId: facts.setlistfmId,
      setlistfmVenueId,
      showDate: date,
      artistName: facts.artist.name,
      artistMbid: facts.artist.mbid,
      artistSortName: facts.artist.sortName,
      tour: facts.tour,
      supportingActs: facts.supportingActs,
      setlist: facts.setlist,
      url: facts.setlistfmUrl,
    };
    const { setlistfmId: _key, ...update } = row;
    await this.db
      .insert(setlistfmShows)
      .values(row)
      .onDuplicateKeyUpdate({ set: { ...update, updatedAt: new Date() } });
  }
}
