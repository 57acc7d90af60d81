/**
 * A concert's setlist as a playlist (GET /api/playlists/concerts/:id.m3u|xspf) over
 * HTTP with the session cookie, and "first heard at" of the songs heard most often,
 * against the real app, MariaDB and Redis.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, validate } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, venues } from '../../drizzle/schema/index.js';
import type { SetlistSet } from '../../shared/concert.schema.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { type CookieJar, signedUpClient } from '../support/trpc-http-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp(testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) }));
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.database.db;
// Artists and venues are shared by every test file of the run: names carry this run's tag.
const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;

async function insertArtist(name: string, mbid: string | null = null) {
  const [result] = await db()
    .insert(artists)
    .values({ name: `${name} ${tag}`, mbid });
  return { id: result.insertId, name: `${name} ${tag}`, mbid };
}

async function insertVenue(name: string, city: string) {
  const [result] = await db()
    .insert(venues)
    .values({ name: `${name} ${tag}`, city, countryCode: 'NL', latitude: 52.36, longitude: 4.88 });
  return { id: result.insertId, name: `${name} ${tag}` };
}

type NewConcert = Omit<typeof concerts.$inferInsert, 'userId'>;

/** One row at a time, so ids follow the order given. */
async function insertConcerts(userId: number, rows: NewConcert[]): Promise<number[]> {
  const ids: number[] = [];
  for (const row of rows) {
    const [result] = await db()
      .insert(concerts)
      .values({ status: 'confirmed', ...row, userId });
    ids.push(result.insertId);
  }
  return ids;
}

const set = (...songs: Array<string | { name: string; tape: boolean }>): SetlistSet => ({
  songs: songs.map((song) => (typeof song === 'string' ? { name: song } : song)),
});

const download = (path: string, jar?: CookieJar) => fetch(`${app.url}${path}`, { headers: jar?.cookie ? { cookie: jar.cookie } : {} });

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('playlist downloads', () => {
  it("downloads the user's concert as M3U and XSPF, live songs only, linked to the chosen service", async () => {
    const fan = await signedUpClient(app.url, 'playlist');
    const mbid = randomUUID();
    const artist = await insertArtist('Sigur Rós & <Friends>', mbid);
    const venue = await insertVenue('Paradiso', 'Amsterdam');
    const [id] = await insertConcerts(fan.user.id, [
      {
        concertDate: '2017-10-02',
        artistId: artist.id,
        venueId: venue.id,
        city: 'Amsterdam',
        setlistfmUrl: 'https://www.setlist.fm/setlist/x/2017/y-1.html',
        setlist: [set({ name: 'Intro', tape: true }, 'Svefn-g-englar', 'Hoppípolla & "Með blóðnasir"'), { encore: 1, ...set('Popplagið') }],
      },
    ]);

    const m3u = await download(`/api/playlists/concerts/${id}.m3u?service=tidal`, fan.jar);
    expect(m3u.status).toBe(200);
    expect(m3u.headers.get('content-type')).toBe('audio/x-mpegurl; charset=utf-8');
    expect(m3u.headers.get('cache-control')).toBe('no-store');
    const disposition = m3u.headers.get('content-disposition')!;
    expect(disposition).toMatch(new RegExp(`^attachment; filename="Sigur-Ros-Friends-${tag}-2017-10-02\\.m3u"; filename\\*=UTF-8''`));
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(`Sigur Rós & <Friends> ${tag} 2017-10-02.m3u`);
    const lines = (await m3u.text()).split('\n');
    expect(lines).toEqual([
      '#EXTM3U',
      `#PLAYLIST:${artist.name} at ${venue.name}, Amsterdam, 2017-10-02`,
      `#EXTINF:-1,${artist.name} - Svefn-g-englar`,
      `https://listen.tidal.com/search?q=${encodeURIComponent(`${artist.name} Svefn-g-englar`)}`,
      `#EXTINF:-1,${artist.name} - Hoppípolla & "Með blóðnasir"`,
      `https://listen.tidal.com/search?q=${encodeURIComponent(`${artist.name} Hoppípolla & "Með blóðnasir"`)}`,
      `#EXTINF:-1,${artist.name} - Popplagið`,
      `https://listen.tidal.com/search?q=${encodeURIComponent(`${artist.name} Popplagið`)}`,
      '',
    ]);

    // No service asked for: Spotify.
    const xspf = await download(`/api/playlists/concerts/${id}.xspf`, fan.jar);
    expect(xspf.status).toBe(200);
    expect(xspf.headers.get('content-type')).toBe('application/xspf+xml; charset=utf-8');
    expect(xspf.headers.get('content-disposition')).toMatch(/^attachment; filename="Sigur-Ros-Friends-.*-2017-10-02\.xspf"; filename\*=UTF-8''/);
    const xml = await xspf.text();
    expect(validate(xml)).toBe(true);
    const { playlist } = parse(xml, { ignoreAttributes: false, attributeNamePrefix: '@', parseNodeValue: false, tagValueProcessor: decode });
    expect(playlist['@xmlns']).toBe('http://xspf.org/ns/0/');
    expect(playlist['@version']).toBe('1');
    expect(playlist.creator).toBe(artist.name);
    const tracks = list<Record<string, unknown>>(playlist.trackList.track);
    expect(tracks.map((track) => [track.title, track.trackNum, track.info])).toEqual(
      ['Svefn-g-englar', 'Hoppípolla & "Með blóðnasir"', 'Popplagið'].map((song, i) => [
        song,
        String(i + 1),
        `https://open.spotify.com/search/${encodeURIComponent(`${artist.name} ${song}`)}`,
      ]),
    );
    for (const track of tracks) {
      expect(track.link).toMatchObject({ '#text': `https://musicbrainz.org/artist/${mbid}` });
      expect(track.meta).toMatchObject({ '#text': mbid });
    }
  });

  it("answers 404 for another user's concert and for a missing one, 401 without a session, 400 for a bad id or service", async () => {
    const owner = await signedUpClient(app.url, 'playlist-owner');
    const stranger = await signedUpClient(app.url, 'playlist-stranger');
    const artist = await insertArtist('Private');
    const [id] = await insertConcerts(owner.user.id, [{ concertDate: '2018-01-01', artistId: artist.id, setlist: [set('Secret Song')] }]);

    for (const format of ['m3u', 'xspf']) {
      const foreign = await download(`/api/playlists/concerts/${id}.${format}`, stranger.jar);
      expect(foreign.status).toBe(404);
      const body = await foreign.text();
      expect(body).not.toContain('Secret Song');
      expect(body).not.toContain('Concert');
      const missing = await download(`/api/playlists/concerts/${id! + 1_000_000}.${format}`, stranger.jar);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe(body);

      expect((await download(`/api/playlists/concerts/${id}.${format}`)).status).toBe(401);
      for (const bad of ['abc', '0', '-1', '1e3', '01', '99999999999999999999']) {
        expect((await download(`/api/playlists/concerts/${bad}.${format}`, owner.jar)).status, bad).toBe(400);
      }
      expect((await download(`/api/playlists/concerts/${id}.${format}?service=napster`, owner.jar)).status).toBe(400);
      expect((await download(`/api/playlists/concerts/${id}.${format}`, owner.jar)).status).toBe(200);
    }
  });
});

describe('songs heard live: first heard at', () => {
  it('gives each top song the earliest concert it was played at, the lower id on one evening', async () => {
    const fan = await signedUpClient(app.url, 'first-heard');
    const artist = await insertArtist('Firsts');
    const early = await insertVenue('Melkweg', 'Amsterdam');
    const late = await insertVenue('Tivoli', 'Utrecht');
    const ids = await insertConcerts(fan.user.id, [
      // Inserted first, but the latest show.
      { concertDate: '2020-05-05', artistId: artist.id, venueId: late.id, city: 'Utrecht', setlist: [set('Old Song', 'New Song')] },
      {
        concertDate: '2011-03-03',
        artistId: artist.id,
        venueId: early.id,
        city: 'Amsterdam',
        setlist: [set('Old Song', { name: 'New Song', tape: true })],
      },
      // Two shows one evening: the lower id is the first.
      { concertDate: '2015-07-07', artistId: artist.id, city: 'Haarlem', setlist: [set('New Song')] },
      { concertDate: '2015-07-07', artistId: artist.id, venueId: early.id, city: 'Amsterdam', setlist: [set('New Song')] },
    ]);
    // Another fan heard both songs earlier: not ours.
    const other = await signedUpClient(app.url, 'first-heard-other');
    await insertConcerts(other.user.id, [{ concertDate: '2001-01-01', artistId: artist.id, setlist: [set('Old Song', 'New Song')] }]);

    const stats = await fan.client.stats.summary.query();
    expect(stats.topSongs).toEqual([
      {
        song: 'New Song',
        artist: { id: artist.id, name: artist.name },
        count: 3,
        firstHeard: { concertId: ids[2], concertDate: '2015-07-07', city: 'Haarlem', countryCode: null, venueName: null },
      },
      {
        song: 'Old Song',
        artist: { id: artist.id, name: artist.name },
        count: 2,
        firstHeard: { concertId: ids[1], concertDate: '2011-03-03', city: 'Amsterdam', countryCode: null, venueName: early.name },
      },
    ]);
  });
});
