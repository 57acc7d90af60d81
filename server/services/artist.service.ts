import type { ArtistRef } from '../../shared/concert.schema.js';
import { NotFoundError } from '../errors.js';
import { CACHE_TTL, noViewCache, type ViewCache } from '../cache/versioned-cache.js';
import type { ArtistRepository, ArtistSummary } from '../repositories/artist.repository.js';

/** An outside catalogue of artists (setlist.fm), asked when ours has no exact match. */
export interface ExternalArtistSearch {
  searchArtists(name: string): Promise<Array<{ name: string; mbid: string; sortName?: string }>>;
}

/** An id of null: an artist only the outside catalogue knows, picked by name and mbid. */
export type ArtistSearchResult = Omit<ArtistSummary, 'id'> & { id: number | null };

/** Outside searches cost a share of a global rate limit; short prefixes match too much to be worth one. */
const EXTERNAL_MIN_LENGTH = 3;

export class ArtistService {
  constructor(
    private readonly artists: ArtistRepository,
    private readonly external: ExternalArtistSearch | null,
    private readonly cache: ViewCache = noViewCache,
  ) {}

  /**
   * Our artists first, then the outside catalogue's, each artist once (by mbid, else by name).
   * The same for every user, so cached under one shared key for an hour: an artist added
   * meanwhile may be missing from an autocomplete that long (naming it still finds it).
   */
  search(text: string, limit: number): Promise<ArtistSearchResult[]> {
    return this.cache.shared('artists.search', { q: text.toLowerCase(), limit }, CACHE_TTL.artistSearch, () => this.searchNow(text, limit));
  }

  private async searchNow(text: string, limit: number): Promise<ArtistSearchResult[]> {
    const local: ArtistSearchResult[] = await this.artists.search(text, limit);
    const wanted = text.toLowerCase();
    if (!this.external || text.length < EXTERNAL_MIN_LENGTH || local.some((artist) => artist.name.toLowerCase() === wanted)) {
      return local;
    }
    // Autocomplete answers with what we have when setlist.fm is slow, down or out of tokens.
    const found = await this.external.searchArtists(text).catch(() => []);
    const seenMbids = new Set(local.flatMap((artist) => (artist.mbid ? [artist.mbid] : [])));
    const seenNames = new Set(local.map((artist) => artist.name.toLowerCase()));
    const merged = [...local];
    for (const artist of found) {
      if (merged.length >= limit) break;
      if (seenMbids.has(artist.mbid) || seenNames.has(artist.name.toLowerCase())) continue;
      seenMbids.add(artist.mbid);
      seenNames.add(artist.name.toLowerCase());
      merged.push({ id: null, name: artist.name, sortName: artist.sortName ?? null, mbid: artist.mbid });
    }
    return merged;
  }

  /** The id of the artist a form names: an existing one, the one with that MusicBrainz id, or one by that name. */
  async resolve(ref: ArtistRef): Promise<number> {
    if ('artistId' in ref) {
      if (!(await this.artists.find(ref.artistId))) throw new NotFoundError('Artist');
      return ref.artistId;
    }
    if (ref.mbid) return this.artists.upsertByMbid({ name: ref.artistName, sortName: ref.sortName ?? null, mbid: ref.mbid });
    return this.artists.findOrCreateByName(ref.artistName);
  }
}
