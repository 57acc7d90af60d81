/**
 * A festival weekend from photos to acts (issue 19): the demo library's two days at
 * Flevopark (two stages, photos past midnight) scanned by a real worker against the
 * setlist.fm and Overpass stand-ins, recognised as one festival, its photo clusters
 * assigned with one click each in the inbox, or placed by set times entered once.
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, festivalActs, festivals, photos } from '../../drizzle/schema/index.js';
import type { DemoFestival } from '../../scripts/demo-library/manifest.js';
import { startMatchingWorld, type MatchingWorld } from '../support/matching-world.js';

let world: MatchingWorld;
let festival: DemoFestival;
beforeAll(async () => {
  world = await startMatchingWorld({ label: 'festivals', concerts: 1, festival: true, outside: { web: true, worker: true } });
  festival = world.manifest.festivals[0]!;
}, 240_000);
afterAll(() => world?.close());

const seenActs = () => festival.days.flatMap((day) => day.acts.filter((act) => act.files.length).map((act) => ({ ...act, day: day.localDate })));

/** Photo ids of the user by the demo library's file path. */
async function photoIdsByPath(userId: number): Promise<Map<string, number>> {
  const rows = await world.app.database.db.select({ id: photos.id, path: photos.sourceFileId }).from(photos).where(eq(photos.userId, userId));
  return new Map(rows.map((row) => [row.path, row.id]));
}

describe('a festival weekend', () => {
  it('scans into one festival with both days and the whole lineup, its photos waiting for their acts, not among the unmatched', async () => {
    const { user, client } = await world.importDemoLibrary();
    const db = world.app.database.db;
    const rows = await db.select().from(festivals).where(eq(festivals.userId, user.id));
    expect(rows).toHaveLength(1);
    const [row] = rows;
    const days = festival.days.map((day) => day.localDate);
    expect(row).toMatchObject({
      siteName: 'Flevopark',
      name: 'Flevopark 2023',
      firstDate: days[0],
      lastDate: days.at(-1),
      city: 'Amsterdam',
      countryCode: 'NL',
    });

    const lineup = await db
      .select({ day: festivalActs.dayDate, artist: artists.name, stage: festivalActs.stage })
      .from(festivalActs)
      .innerJoin(artists, eq(artists.id, festivalActs.artistId))
      .where(eq(festivalActs.festivalId, row!.id));
    const expected = festival.days.flatMap((day) =>
      day.acts.map((act) => ({ day: day.localDate, artist: act.artist, stage: act.stage.replace(/, Flevopark$/, '') })),
    );
    expect(lineup.map((act) => `${act.day} ${act.artist} @ ${act.stage}`).sort()).toEqual(
      expected.map((act) => `${act.day} ${act.artist} @ ${act.stage}`).sort(),
    );

    // No act is a concert yet: nothing is guessed.
    expect(
      await db
        .select()
        .from(concerts)
        .where(and(eq(concerts.userId, user.id), isNotNull(concerts.festivalId))),
    ).toEqual([]);
    const festivalFiles = seenActs().flatMap((act) => act.files);
    const waiting = await db
      .select({ path: photos.sourceFileId, festivalId: photos.festivalId, concertId: photos.concertId })
      .from(photos)
      .where(and(eq(photos.userId, user.id), inArray(photos.sourceFileId, festivalFiles)));
    expect(waiting).toHaveLength(festivalFiles.length);
    expect(waiting.every((photo) => photo.festivalId === row!.id && photo.concertId === null)).toBe(true);

    const inbox = await client.inbox.list.query();
    const unmatched = new Set(inbox.unmatched.groups.flatMap((group) => group.photoIds));
    const byPath = await photoIdsByPath(user.id);
    expect(festivalFiles.filter((path) => unmatched.has(byPath.get(path)!))).toEqual([]);
  });

  it('offers each act’s photos as one cluster with the day’s lineup, and one click per cluster makes the acts concerts under the festival', async () => {
    const { user, client } = await world.importDemoLibrary();
    const byPath = await photoIdsByPath(user.id);
    const [pending] = await client.festivals.pending.query();
    expect(pending!.festival.name).toBe('Flevopark 2023');
    const clusters = pending!.clusters;
    // One cluster per act seen, exactly its photos (those without GPS join by time, those past midnight stay in their evening).
    const acts = seenActs();
    expect(clusters.map((c) => [...c.photoIds].sort((a, b) => a - b))).toEqual(
      acts.map((act) => act.files.map((path) => byPath.get(path)!).sort((a, b) => a - b)),
    );

    const festivalId = pending!.festival.id;
    for (const act of acts) {
      const [current] = await client.festivals.pending.query({ festivalId });
      const cluster = current!.clusters[0]!;
      expect(cluster.evening).toBe(act.day);
      // The day's lineup is offered, and only that day's.
      const day = festival.days.find((d) => d.localDate === act.day)!;
      expect(cluster.candidates.map((c) => c.artist.name).sort()).toEqual(day.acts.map((a) => a.artist).sort());
      // An act already assigned that day is said to be, and comes after the right one.
      const choice = cluster.candidates.find((c) => c.artist.name === act.artist)!;
      for (const other of acts.filter((o) => o.day === act.day && acts.indexOf(o) < acts.indexOf(act))) {
        const seen = cluster.candidates.find((c) => c.artist.name === other.artist)!;
        expect(seen.reasons).toContain('already_assigned');
        expect(cluster.candidates.indexOf(seen)).toBeGreaterThan(cluster.candidates.indexOf(choice));
      }
      const { assigned } = await client.festivals.assign.mutate({ festivalId, actId: choice.id, photoIds: cluster.photoIds });
      expect(assigned).toBe(act.files.length);
    }
    expect(await client.festivals.pending.query({ festivalId })).toEqual([]);

    const page = await client.festivals.get.query({ festivalId });
    expect(page.days.map((day) => day.date)).toEqual(festival.days.map((day) => day.localDate));
    for (const act of acts) {
      const shown = page.days.find((day) => day.date === act.day)!.acts.find((a) => a.artist.name === act.artist)!;
      expect(shown.concertId).not.toBeNull();
      expect(shown.photoCount).toBe(act.files.length);
      const concert = await client.concerts.get.query({ id: shown.concertId! });
      expect(concert).toMatchObject({ concertDate: act.day, artist: { name: act.artist }, festival: { id: festivalId, name: 'Flevopark 2023' } });
      expect(concert.setlist?.[0]?.songs.map((song) => song.name)).toEqual(act.setlist[0]!.songs.map((song) => song.name));
    }
    // The timeline lists the acts, each carrying its festival, so the client shows them as one card.
    const timeline = await client.concerts.list.query({ limit: 50 });
    const festivalItems = timeline.items.filter((item) => item.festival?.id === festivalId);
    expect(festivalItems.map((item) => item.artist?.name).sort()).toEqual(acts.map((act) => act.artist).sort());
    // Stats count the acts seen at the festival (each one of the user's concerts).
    const stats = await client.stats.summary.query();
    expect(stats.festivals).toEqual({ festivals: 1, acts: acts.length });
    expect(stats.totalConcerts).toBe(world.manifest.concerts.length + acts.length);
  });

  it('places every cluster by set times entered once, without a click, and leaves what they do not place waiting', async () => {
    const { user, client } = await world.importDemoLibrary();
    const [pending] = await client.festivals.pending.query();
    const festivalId = pending!.festival.id;
    const page = await client.festivals.get.query({ festivalId });
    const acts = seenActs();
    const [late, ...others] = [...acts].reverse();
    // The headliner past midnight: 23:15–00:45 holds its photos of 00:05–00:40.
    const lateAct = page.days.find((day) => day.date === late!.day)!.acts.find((a) => a.artist.name === late!.artist)!;
    expect(await client.festivals.setTimes.mutate({ actId: lateAct.id, setStart: late!.setStart, setEnd: late!.setEnd })).toEqual({
      assigned: late!.files.length,
    });
    const [after] = await client.festivals.pending.query({ festivalId });
    expect(after!.clusters).toHaveLength(acts.length - 1);
    for (const act of others) {
      const id = page.days.find((day) => day.date === act.day)!.acts.find((a) => a.artist.name === act.artist)!.id;
      await client.festivals.setTimes.mutate({ actId: id, setStart: act.setStart, setEnd: act.setEnd });
    }
    expect(await client.festivals.pending.query({ festivalId })).toEqual([]);
    const db = world.app.database.db;
    const actConcerts = await db
      .select({ artist: artists.name, date: concerts.concertDate })
      .from(concerts)
      .innerJoin(artists, eq(artists.id, concerts.artistId))
      .where(and(eq(concerts.userId, user.id), eq(concerts.festivalId, festivalId)));
    expect(actConcerts.map((c) => `${c.date} ${c.artist}`).sort()).toEqual(acts.map((act) => `${act.day} ${act.artist}`).sort());
  });

  it('refuses set times that end when they start, an act of another festival, and photos that are not waiting in it', async () => {
    const { client } = await world.importDemoLibrary();
    const [pending] = await client.festivals.pending.query();
    const cluster = pending!.clusters[0]!;
    const actId = cluster.candidates[0]!.id;
    await expect(client.festivals.setTimes.mutate({ actId, setStart: '21:00', setEnd: '21:00' })).rejects.toThrow(/cannot end when it starts/);
    await expect(client.festivals.setTimes.mutate({ actId, setStart: '25:00', setEnd: '21:00' })).rejects.toThrow(/like 21:30/);
    const other = await world.importDemoLibrary();
    const [theirs] = await other.client.festivals.pending.query();
    await expect(
      client.festivals.assign.mutate({ festivalId: pending!.festival.id, actId: theirs!.clusters[0]!.candidates[0]!.id, photoIds: cluster.photoIds }),
    ).rejects.toThrow(/not found/i);
    // Photos of another cluster are not this act's to take silently: only the festival's waiting photos move.
    const { assigned } = await client.festivals.assign.mutate({ festivalId: pending!.festival.id, actId, photoIds: cluster.photoIds });
    expect(assigned).toBe(cluster.photoIds.length);
    expect((await client.festivals.assign.mutate({ festivalId: pending!.festival.id, actId, photoIds: cluster.photoIds })).assigned).toBe(0);
  });

  it('makes a festival of a concert the user says was one, even with nobody known on its lineup, and takes the acts the user adds', async () => {
    const { client } = await world.importDemoLibrary();
    // A concert the user added by hand: no venue, so setlist.fm has nothing to say about its evening.
    const { id: concertId } = await client.concerts.create.mutate({ date: '2020-08-15', artist: { artistName: `Opener ${process.pid}` } });
    const mine = await client.concerts.get.query({ id: concertId });
    expect(mine.festival).toBeNull();
    const { festivalId } = await client.festivals.fromConcert.mutate({ concertId, name: 'Backyard Weekend' });
    await expect(client.concerts.get.query({ id: concertId })).rejects.toThrow(/not found/i);
    const page = await client.festivals.get.query({ festivalId });
    expect(page.festival).toMatchObject({ name: 'Backyard Weekend', firstDate: '2020-08-15', lastDate: '2020-08-15', source: 'user' });
    // The concert's artist is on the lineup; nobody else (no venue: setlist.fm was not asked).
    expect(page.days).toEqual([
      {
        date: '2020-08-15',
        waitingPhotos: 0,
        acts: [expect.objectContaining({ artist: expect.objectContaining({ name: `Opener ${process.pid}` }), concertId: null })],
      },
    ]);
    const { actId } = await client.festivals.addAct.mutate({
      festivalId,
      dayDate: '2020-08-16',
      artist: { artistName: `Closer ${process.pid}` },
      stage: 'Barn',
    });
    const after = await client.festivals.get.query({ festivalId });
    expect(after.festival).toMatchObject({ firstDate: '2020-08-15', lastDate: '2020-08-16' });
    expect(after.days.map((day) => [day.date, day.acts.map((act) => [act.id === actId, act.stage])])).toEqual([
      ['2020-08-15', [[false, null]]],
      ['2020-08-16', [[true, 'Barn']]],
    ]);
    await expect(client.festivals.addAct.mutate({ festivalId, dayDate: '2020-09-30', artist: { artistName: 'Too late' } })).rejects.toThrow(
      /not one of the festival/,
    );
  });
});
