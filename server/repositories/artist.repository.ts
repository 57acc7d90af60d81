import { and, asc, eq, isNull, not, or, sql, type SQL } from 'drizzle-orm';
import { artists } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { contains, startsWith } from './like-pattern.js';

export const artistColumns = { id: artists.id, name: artists.name, sortName: artists.sortName, mbid: artists.mbid } as const;
export type ArtistSummary = Pick<typeof artists.$inferSelect, keyof typeof artistColumns>;

/** The artists a user may see and pick: the shared (setlist.fm) catalogue and the names they typed themselves. */
export const artistVisibleTo = (userId: number) => or(isNull(artists.userId), eq(artists.userId, userId));

/**
 * The artist catalogue: setlist.fm's artists shared by everyone (`user_id` null),
 * and each user's own typed names, which only that user ever sees.
 */
export class ArtistRepository {
  constructor(private readonly db: Database) {}

  /** The artist if this user may see it: a shared one, or one of their own. */
  async findVisible(userId: number, id: number): Promise<ArtistSummary | null> {
    const [row] = await this.db.$primary
      .select(artistColumns)
      .from(artists)
      .where(and(eq(artists.id, id), artistVisibleTo(userId)))
      .limit(1);
    return row ?? null;
  }

  async findByMbid(mbid: string): Promise<ArtistSummary | null> {
    const [row] = await this.db.$primary.select(artistColumns).from(artists).where(eq(artists.mbid, mbid)).limit(1);
    return row ?? null;
  }

  /** The shared (setlist.fm) artists: names starting with `text` first, then names containing every word of it. */
  searchShared(text: string, limit: number): Promise<ArtistSummary[]> {
    return this.search(isNull(artists.userId), text, limit);
  }

  /** The same among the names this user typed, which only they see. */
  searchOwn(userId: number, text: string, limit: number): Promise<ArtistSummary[]> {
    return this.search(eq(artists.userId, userId), text, limit);
  }

  private async search(visible: SQL, text: string, limit: number): Promise<ArtistSummary[]> {
    const prefixed = await this.db
      .select(artistColumns)
      .from(artists)
      .where(and(visible, startsWith(artists.name, text)))
      .orderBy(asc(artists.name), asc(artists.id))
      .limit(limit);
    const words = text.split(/\s+/).filter(Boolean);
    if (prefixed.length >= limit || !words.length) return prefixed;
    const containing = await this.db
      .select(artistColumns)
      .from(artists)
      .where(and(visible, not(startsWith(artists.name, text)), ...words.map((word) => contains(artists.name, word))))
      .orderBy(asc(artists.name), asc(artists.id))
      .limit(limit - prefixed.length);
    return [...prefixed, ...containing];
  }

  /**
   * The artist a user typed: one they may see with exactly this name (any letter
   * case; a shared one first), else a new one of their own.
   */
  async findOrCreateOwn(userId: number, name: string): Promise<number> {
    const existing = await this.findNamed(name, artistVisibleTo(userId));
    if (existing) return existing;
    const [result] = await this.db.insert(artists).values({ name, source: 'user', userId });
    return result.insertId;
  }

  /** A shared artist setlist.fm named without a MusicBrainz id: a shared one with exactly that name, else a new shared one. */
  async findOrCreateShared(name: string): Promise<number> {
    const existing = await this.findNamed(name, isNull(artists.userId));
    if (existing) return existing;
    const [result] = await this.db.insert(artists).values({ name, source: 'setlistfm' });
    return result.insertId;
  }

  /**
   * A shared artist from setlist.fm's answer: one row per MusicBrainz id however
   * many callers meet the artist at once, its name kept up to date from setlist.fm;
   * its id either way. Never called with a user's own typing.
   */
  async upsertByMbid(artist: { name: string; sortName?: string | null; mbid: string }): Promise<number> {
    const [result] = await this.db
      .insert(artists)
      .values({ name: artist.name, sortName: artist.sortName ?? null, mbid: artist.mbid, source: 'setlistfm' })
      .onDuplicateKeyUpdate({
        set: {
          id: sql`LAST_INSERT_ID(${artists.id})`,
          name: sql`VALUES(${artists.name})`,
          sortName: sql`COALESCE(VALUES(${artists.sortName}), ${artists.sortName})`,
        },
      });
    return result.insertId;
  }

  private async findNamed(name: string, scope: SQL | undefined): Promise<number | null> {
    // The column's collation compares case- and accent-insensitively; the exact check below keeps the accents.
    const candidates = await this.db.$primary
      .select({ id: artists.id, name: artists.name })
      .from(artists)
      .where(and(eq(artists.name, name), scope))
      .orderBy(sql`${artists.userId} IS NOT NULL`, sql`${artists.mbid} IS NULL`, asc(artists.id))
      .limit(20);
    const wanted = name.toLowerCase();
    return candidates.find((candidate) => candidate.name.toLowerCase() === wanted)?.id ?? null;
  }
}
