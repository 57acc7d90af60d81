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

/**
 * Artist search and the artist a form names. The shared catalogue holds only
 * setlist.fm's artists; a name a user types that setlist.fm does not confirm stays
 * that user's own (see drizzle/schema/artists.ts).
 */
export class ArtistService {
  constructor(
    private readonly artists: ArtistRepository,
    private readonly external: ExternalArtistSearch | null,
    private readonly cache: ViewCache = noViewCache,
  ) {}

  /**
   * The artists the user may see, then the outside catalogue's, each artist once (by
   * mbid, else by name), names starting with the text first. The shared part (our
   * setlist.fm artists and setlist.fm's search) is the same for every user, so it is
   * cached under one shared key for an hour: an artist added meanwhile may be missing
   * from an autocomplete that long (naming it still finds it). The names the user typed
   * themselves are read fresh and seen by them alone.
   */
  async search(userId: number, text: string, limit: number): Promise<ArtistSearchResult[]> {
    const [shared, own] = await Promise.all([
      this.cache.shared('artists.search', { q: text.toLowerCase(), limit }, CACHE_TTL.artistSearch, () => this.searchShared(text, limit)),
      this.artists.searchOwn(userId, text, limit),
    ]);
    if (!own.length) return shared;
    const wanted = text.toLowerCase();
    const rank = (artist: ArtistSearchResult) => (artist.name.toLowerCase().startsWith(wanted) ? 0 : 1);
    const local = [...own, ...shared.filter((artist) => artist.id !== null)].sort(
      (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || (a.id ?? 0) - (b.id ?? 0),
    );
    const names = new Set(local.map((artist) => artist.name.toLowerCase()));
    const outside = shared.filter((artist) => artist.id === null && !names.has(artist.name.toLowerCase()));
    return [...local, ...outside].slice(0, limit);
  }

  private async searchShared(text: string, limit: number): Promise<ArtistSearchResult[]> {
    const local: ArtistSearchResult[] = await this.artists.searchShared(text, limit);
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

  /**
   * The id of the artist a form names: one the user may see by id; by MusicBrainz
   * id only when setlist.fm (or our shared catalogue) knows that id, under
   * setlist.fm's name for it, never the name the form sent; otherwise the user's
   * own artist of that name, which nobody else sees.
   */
  async resolve(userId: number, ref: ArtistRef): Promise<number> {
    if ('artistId' in ref) {
      await this.requireVisible(userId, ref);
      return ref.artistId;
    }
    if (ref.mbid) {
      const verified = await this.sharedByMbid(ref.artistName, ref.mbid);
      if (verified) return verified;
    }
    return this.artists.findOrCreateOwn(userId, ref.artistName);
  }

  /** Refuses, before anything is written, an artist id the user may not see (another user's own, or none). */
  async requireVisible(userId: number, ref: ArtistRef): Promise<void> {
    if ('artistId' in ref && !(await this.artists.findVisible(userId, ref.artistId))) throw new NotFoundError('Artist');
  }

  private async sharedByMbid(name: string, mbid: string): Promise<number | null> {
    const known = await this.artists.findByMbid(mbid);
    if (known) return known.id;
    if (!this.external) return null;
    // The autocomplete the user picked from made this very search a moment ago: the client's cache answers it.
    const found = await this.external.searchArtists(name).catch(() => []);
    const confirmed = found.find((artist) => artist.mbid === mbid);
    return confirmed ? this.artists.upsertByMbid({ name: confirmed.name, sortName: confirmed.sortName ?? null, mbid }) : null;
  }
}
