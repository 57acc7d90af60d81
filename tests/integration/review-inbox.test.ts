/**
 * The review inbox: a scan whose worker could reach neither setlist.fm nor
 * OpenStreetMap leaves every show "needs review", with its date and city; the
 * inbox then offers one-click candidates (the web server reaches the stand-ins)
 * and one click settles each show.
 */
import { TRPCClientError } from '@trpc/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos, venueAliases } from '../../drizzle/schema/index.js';
import { startMatchingWorld, type MatchingWorld } from '../support/matching-world.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { uniqueEmail } from '../support/test-env.js';

let world: MatchingWorld;
beforeAll(async () => {
  // The worker has no way out (an outage, or no API key yet); the web server reaches both stand-ins.
  world = await startMatchingWorld({
    label: 'inbox',
    concerts: 5,
    outside: { web: true, worker: false },
    setlistfmFaults: { rateLimitPerSecond: 50 },
  });
}, 240_000);
afterAll(() => world?.close());

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error.data?.code as string;
    throw error;
  }
  return 'OK';
}

describe('the review inbox', () => {
  // One user's import, settled step by step across the tests below (they run in order).
  let owner: Awaited<ReturnType<MatchingWorld['importDemoLibrary']>>;
  let events: Awaited<ReturnType<typeof owner.client.inbox.list.query>>['events'];
  const eventOf = (date: string) => events.find((e) => e.concertDate === date)!;

  beforeAll(async () => {
    owner = await world.importDemoLibrary();
    events = (await owner.client.inbox.list.query({ limit: 50 })).events;
  }, 240_000);

  it('holds every show as "needs review", with its date, city and photos', () => {
    expect(events).toHaveLength(world.manifest.concerts.length);
    for (const show of world.manifest.concerts) {
      const event = eventOf(show.localDate);
      expect(event, show.localDate).toBeDefined();
      expect(event.artist?.id ?? null).toBeNull();
      expect(event.countryCode).toBe(show.venue.countryCode);
      expect(event.city).toBeTruthy();
      expect(event.photoCount).toBe(show.files.length);
    }
  });

  it("answers NOT_FOUND for another user's concerts and photos", async () => {
    const event = events[0]!;
    const [photo] = await world.app.database.db.select({ id: photos.id }).from(photos).where(eq(photos.userId, owner.user.id)).limit(1);
    const { client: other } = trpcHttpClient(world.app.url);
    await other.auth.signup.mutate({ email: uniqueEmail('intruder'), password: 'correct horse battery', name: 'Other' });
    expect(await codeOf(other.inbox.candidates.query({ target: { concertId: event.id } }))).toBe('NOT_FOUND');
    expect(await codeOf(other.inbox.candidates.query({ target: { photoIds: [photo!.id] } }))).toBe('NOT_FOUND');
    expect(await codeOf(other.inbox.resolve.mutate({ target: { concertId: event.id }, choice: { concertId: event.id } }))).toBe('NOT_FOUND');
    expect(await codeOf(other.inbox.resolve.mutate({ target: { photoIds: [photo!.id] }, choice: { concertId: event.id } }))).toBe('NOT_FOUND');
    expect(await codeOf(other.inbox.resolve.mutate({ target: { concertId: event.id }, choice: { setlistId: 'abcd1234' } }))).toBe('NOT_FOUND');
    expect((await owner.client.concerts.get.query({ id: event.id })).status).toBe('needs_review');
  });

  it('settles a show by its venue in one click: remembered for that spot, and its concert looked up there', async () => {
    const show = world.manifest.concerts[0]!;
    const event = eventOf(show.localDate);
    const { venues } = await owner.client.inbox.candidates.query({ target: { concertId: event.id } });
    const venue = venues.find((v) => v.name === show.venue.name)!;
    expect(venue, show.venue.name).toBeDefined();

    await owner.client.inbox.resolve.mutate({ target: { concertId: event.id }, choice: { venueId: venue.id } });
    const concert = await owner.client.concerts.get.query({ id: event.id });
    expect(concert).toMatchObject({ status: 'confirmed', venue: { name: show.venue.name } });
    expect(concert.artist?.name).toBe(show.artist);
    const aliases = await world.app.database.db.select().from(venueAliases).where(eq(venueAliases.userId, owner.user.id));
    expect(aliases.map((alias) => alias.venueId)).toEqual([venue.id]);
  });

  it('settles every other show by its setlist.fm setlist in one click', async () => {
    for (const show of world.manifest.concerts.slice(1)) {
      const event = eventOf(show.localDate);
      const candidates = await owner.client.inbox.candidates.query({ target: { concertId: event.id } });
      expect(candidates.setlistfm).toBe('ok');
      expect(candidates.venues.map((v) => v.name)).toContain(show.venue.name);
      const headliner = candidates.setlists.find((s) => s.artist === show.artist && s.venue === show.venue.name);
      expect(headliner, `setlist of ${show.artist}`).toBeDefined();
      // setlist.fm's terms: a link to its page wherever its data is shown.
      expect(headliner!.url).toMatch(/^https:\/\/www\.setlist\.fm\//);

      await owner.client.inbox.resolve.mutate({ target: { concertId: event.id }, choice: { setlistId: headliner!.setlistId } });
      const concert = await owner.client.concerts.get.query({ id: event.id });
      expect(concert).toMatchObject({ status: 'confirmed', concertDate: show.localDate, tour: show.tour, city: show.venue.city });
      expect(concert.artist?.name).toBe(show.artist);
      expect(concert.venue?.name).toBe(show.venue.name);
      expect(concert.supportingActs?.map((act) => act.name).sort()).toEqual(show.supportingActs.map((act) => act.name).sort());
      expect(concert.setlist?.flatMap((set) => set.songs.map((song) => song.name))).toEqual(
        show.setlist.flatMap((set) => set.songs.map((song) => song.name)),
      );
      expect(concert.photoCount).toBe(show.files.length);
    }
    expect((await owner.client.inbox.list.query({ limit: 50 })).events).toEqual([]);
  });

  it('offers unmatched photos by evening and puts them back into their concert in one click', async () => {
    const show = world.manifest.concerts[1]!;
    const event = eventOf(show.localDate);
    const taken = await world.app.database.db
      .select({ id: photos.id })
      .from(photos)
      .where(and(eq(photos.userId, owner.user.id), eq(photos.concertId, event.id)));
    const photoIds = taken.slice(0, 3).map((p) => p.id);
    await owner.client.photos.move.mutate({ photoIds, concertId: null });

    const { unmatched } = await owner.client.inbox.list.query({ limit: 50 });
    expect(unmatched.total).toBe(3);
    const group = unmatched.groups.find((g) => g.evening === show.localDate)!;
    expect([...group.photoIds].sort()).toEqual([...photoIds].sort());

    const candidates = await owner.client.inbox.candidates.query({ target: { photoIds: group.photoIds } });
    expect(candidates.evening).toBe(show.localDate);
    expect(candidates.concerts.map((c) => c.id)).toContain(event.id);
    await owner.client.inbox.resolve.mutate({ target: { photoIds: group.photoIds }, choice: { concertId: event.id } });
    expect((await owner.client.inbox.list.query({ limit: 50 })).unmatched.total).toBe(0);
    expect((await owner.client.concerts.get.query({ id: event.id })).photoCount).toBe(show.files.length);
  });

  it("matches the next fan at those shows from the database: setlist.fm's answers to the first fan's choices, kept for everyone", async () => {
    const { client } = await world.importDemoLibrary();
    const { items } = await client.concerts.list.query({ limit: 50 });
    expect(items).toHaveLength(world.manifest.concerts.length);
    for (const show of world.manifest.concerts) {
      const item = items.find((i) => i.concertDate === show.localDate)!;
      expect(item).toMatchObject({ status: 'confirmed', artist: { name: show.artist }, venue: { name: show.venue.name } });
      expect((await client.concerts.get.query({ id: item.id })).tour).toBe(show.tour);
    }
  });
});
