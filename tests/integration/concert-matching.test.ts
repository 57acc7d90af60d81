/**
 * The whole way from photos to concerts: the demo library scanned by a real worker,
 * venues found through the Overpass stand-in, concerts and setlists through the
 * setlist.fm stand-in, checked against the library's manifest (the ground truth).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, photos, venues } from '../../drizzle/schema/index.js';
import { startMatchingWorld, type MatchingWorld } from '../support/matching-world.js';

let world: MatchingWorld;
beforeAll(async () => {
  world = await startMatchingWorld({ label: 'matching', concerts: 10, outside: { web: true, worker: true } });
}, 240_000);
afterAll(() => world?.close());

describe('from the demo library to a concert history', () => {
  it('finds every concert with its venue, city, local date, headliner, supporting acts and setlist', async () => {
    const { user, snapshots } = await world.importDemoLibrary();
    const final = snapshots.at(-1)!;
    // The live feed went through matching, evening by evening.
    expect(snapshots.some((s) => s.stage === 'matching')).toBe(true);

    const { manifest } = world;
    const db = world.app.database.db;
    const rows = await db
      .select({ concert: concerts, artist: artists.name, mbid: artists.mbid, venue: venues.name, venueCity: venues.city })
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .where(eq(concerts.userId, user.id));
    expect(rows).toHaveLength(manifest.concerts.length);

    for (const show of manifest.concerts) {
      const row = rows.find((r) => r.concert.concertDate === show.localDate);
      expect(row, `concert of ${show.localDate}`).toBeDefined();
      const { concert } = row!;
      expect(concert.status).toBe('confirmed');
      expect(row!.artist).toBe(show.artist);
      expect(row!.mbid).toMatch(/^[0-9a-f-]{36}$/);
      expect(row!.venue).toBe(show.venue.name);
      expect(concert.city).toBe(show.venue.city);
      expect(concert.countryCode).toBe(show.venue.countryCode);
      expect(concert.tour).toBe(show.tour);
      expect(concert.supportingActs?.map((act) => act.name).sort()).toEqual(show.supportingActs.map((act) => act.name).sort());
      expect(concert.setlist?.map((set) => set.songs.map((song) => [song.name, song.tape ?? false]))).toEqual(
        show.setlist.map((set) => set.songs.map((song) => [song.name, song.tape ?? false])),
      );
      expect(concert.setlistfmUrl).toMatch(/^https:\/\/www\.setlist\.fm\//);

      // Every readable photo of the show is in it: after-midnight photos and photos without GPS included.
      const showPhotos = await db
        .select({ path: photos.sourceFileId, concertId: photos.concertId })
        .from(photos)
        .where(and(eq(photos.userId, user.id), inArray(photos.sourceFileId, show.files), eq(photos.status, 'ready')));
      expect(showPhotos.length).toBe(show.files.length);
      expect(showPhotos.filter((p) => p.concertId !== concert.id)).toEqual([]);
    }

    const special = (kind: string) => manifest.specialFiles.filter((file) => file.kind === kind).length;
    expect(special('after-midnight')).toBeGreaterThan(0);
    expect(special('no-gps')).toBeGreaterThan(0);
    const readable = manifest.files.length - special('broken');
    expect(final.counts.matched).toBe(readable);
  });

  it('asks the outside world once per venue: a second user at the same shows is matched from the database', async () => {
    const { setlistfm, overpass } = world;
    const setlistfmBefore = setlistfm.requests.length;
    const overpassBefore = overpass.requests.length;
    const { user } = await world.importDemoLibrary();
    const rows = await world.app.database.db.select().from(concerts).where(eq(concerts.userId, user.id));
    expect(rows.filter((row) => row.status === 'confirmed')).toHaveLength(world.manifest.concerts.length);
    expect(setlistfm.requests.length).toBe(setlistfmBefore);
    expect(overpass.requests.length).toBe(overpassBefore);
  });
});
