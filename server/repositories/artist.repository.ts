import { and, asc, eq, not, sql } from 'drizzle-orm';
import { artists } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { contains, startsWith } from './like-pattern.js';

export const artistColumns = { id: artists.id, name: artists.name, sortName: artists.sortName, mbid: artists.mbid } as const;
export type ArtistSummary = Pick<typeof artists.$inferSelect, keyof typeof artistColumns>;

/** Artists are shared by every user: names and MusicBrainz ids, nothing private. */
export class ArtistRepository {
  constructor(private readonly db: Database) {}

  async find(id: number): Promise<ArtistSummary | null> {
    const [row] = await this.db.$primary.select(artistColumns).from(artists).where(eq(artists.id, id)).limit(1);
    return row ?? null;
  }

  /** Names starting with `text` first, then names containing every word of it. */
  async search(text: string, limit: number): Promise<ArtistSummary[]> {
    const prefixed = await this.db
      .select(artistColumns)
      .from(artists)
      .where(startsWith(artists.name, text))
      .orderBy(asc(artists.name), asc(artists.id))
      .limit(limit);
    const words = text.split(/\s+/).filter(Boolean);
    if (prefixed.length >= limit || !words.length) return prefixed;
    const containing = await this.db
      .select(artistColumns)
      .from(artists)
      .where(and(not(startsWith(artists.name, text)), ...words.map((word) => contains(artists.name, word))))
      .orderBy(asc(artists.name), asc(artists.id))
      .limit(limit - prefixed.length);
    return [...prefixed, ...containing];
  }

  /** The artist with exactly this name (any letter case; one with a MusicBrainz id preferred), else a new one. */
  async findOrCreateByName(name: string): Promise<number> {
    // The column's collation compares case- and accent-insensitively; the exact check below keeps the accents.
    const candidates = await this.db.$primary
      .select({ id: artists.id, name: artists.name })
      .from(artists)
      .where(eq(artists.name, name))
      .orderBy(sql`${artists.mbid} IS NULL`, asc(artists.id))
      .limit(20);
    const wanted = name.toLowerCase();
    const existing = candidates.find((candidate) => candidate.name.toLowerCase() === wanted);
    if (existing) return existing.id;
    const [result] = await this.db.insert(artists).values({ name });
    return result.insertId;
  }

  /** One row per MusicBrainz id however many callers meet the artist at once; its id either way. */
  async upsertByMbid(artist: { name: string; sortName?: string | null; mbid: string }): Promise<number> {
    const [result] = await this.db
      .insert(artists)
      .values({ name: artist.name, sortName: artist.sortName ?? null, mbid: artist.mbid })
      .onDuplicateKeyUpdate({
        set: {
          id: sql`LAST_INSERT_ID(${artists.id})`,
          name: sql`VALUES(${artists.name})`,
          sortName: sql`COALESCE(VALUES(${artists.sortName}), ${artists.sortName})`,
        },
      });
    return result.insertId;
  }
}
