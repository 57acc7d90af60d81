import { describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '../errors.js';
import type { ArtistRepository, ArtistSummary } from '../repositories/artist.repository.js';
import { ArtistService, type ExternalArtistSearch } from './artist.service.js';

const MBID_A = '11111111-1111-1111-1111-111111111111';
const MBID_B = '22222222-2222-2222-2222-222222222222';
const USER = 7;

function service(local: ArtistSummary[], external: ExternalArtistSearch['searchArtists'] | null) {
  const repository = {
    searchShared: async (_text: string, limit: number) => local.slice(0, limit),
    searchOwn: async () => [],
  } as unknown as ArtistRepository;
  return new ArtistService(repository, external && { searchArtists: external });
}

describe('artist search', () => {
  it('lists our artists first, then outside ones not already listed by mbid or by name, up to the limit', async () => {
    const external = vi.fn(async () => [
      { name: 'Moth Radio', mbid: MBID_A },
      { name: 'MOTH RADIO (live)', mbid: MBID_B, sortName: 'Moth Radio' },
      { name: 'moth radio collective', mbid: '33333333-3333-3333-3333-333333333333' },
      { name: 'Moth Radar', mbid: '44444444-4444-4444-4444-444444444444' },
      { name: 'Moth Rider', mbid: '55555555-5555-5555-5555-555555555555' },
    ]);
    const found = await service(
      [
        { id: 1, name: 'Moth Radio Collective', sortName: null, mbid: null },
        { id: 2, name: 'Moth Radiohead', sortName: null, mbid: MBID_A },
      ],
      external,
    ).search(USER, 'moth radi', 4);
    expect(found).toEqual([
      { id: 1, name: 'Moth Radio Collective', sortName: null, mbid: null },
      { id: 2, name: 'Moth Radiohead', sortName: null, mbid: MBID_A },
      { id: null, name: 'MOTH RADIO (live)', sortName: 'Moth Radio', mbid: MBID_B },
      { id: null, name: 'Moth Radar', sortName: null, mbid: '44444444-4444-4444-4444-444444444444' },
    ]);
    expect(external).toHaveBeenCalledWith('moth radi');
  });

  it('does not ask outside for short searches or when we know the exact name', async () => {
    const external = vi.fn(async () => [{ name: 'Other', mbid: MBID_B }]);
    await service([], external).search(USER, 'mo', 10);
    expect(await service([{ id: 1, name: 'Moth Radio', sortName: null, mbid: null }], external).search(USER, 'moth radio', 10)).toHaveLength(1);
    expect(external).not.toHaveBeenCalled();
  });

  it('answers with our artists when the outside catalogue fails', async () => {
    const local = [{ id: 1, name: 'Moth Radio', sortName: null, mbid: null }];
    expect(await service(local, async () => Promise.reject(new Error('429'))).search(USER, 'moth', 10)).toEqual(local);
  });
});

describe("artist search with the user's own names", () => {
  it('lists the names the user typed among the shared ones (those starting with the text first), asking for that user only', async () => {
    const searchOwn = vi.fn(async () => [
      { id: 10, name: 'The Moth Radio Tapes', sortName: null, mbid: null },
      { id: 9, name: 'moth radio demos', sortName: null, mbid: null },
    ]);
    const repository = {
      searchShared: async () => [{ id: 1, name: 'Moth Radio Collective', sortName: null, mbid: null }],
      searchOwn,
    } as unknown as ArtistRepository;
    const external = async () => [
      { name: 'Moth Radar', mbid: MBID_A },
      { name: 'MOTH RADIO DEMOS', mbid: MBID_B },
    ];
    const found = await new ArtistService(repository, { searchArtists: external }).search(USER, 'moth radi', 10);
    expect(found.map((artist) => [artist.id, artist.name])).toEqual([
      [1, 'Moth Radio Collective'],
      [9, 'moth radio demos'],
      [10, 'The Moth Radio Tapes'],
      [null, 'Moth Radar'],
    ]);
    expect(searchOwn).toHaveBeenCalledWith(USER, 'moth radi', 10);
  });
});

describe('the artist a form names', () => {
  /** A repository that knows one shared artist (id 1, MBID_A) and records what is created. */
  function resolving(external: ExternalArtistSearch['searchArtists'] | null) {
    const calls = { upserts: [] as unknown[], own: [] as unknown[] };
    const repository = {
      findVisible: async (userId: number, id: number) => (id === 1 || (id === 2 && userId === USER) ? { id } : null),
      findByMbid: async (mbid: string) => (mbid === MBID_A ? { id: 1, name: 'Moth Radio', sortName: null, mbid } : null),
      upsertByMbid: async (artist: unknown) => {
        calls.upserts.push(artist);
        return 10;
      },
      findOrCreateOwn: async (userId: number, name: string) => {
        calls.own.push([userId, name]);
        return 20;
      },
    } as unknown as ArtistRepository;
    return { artists: new ArtistService(repository, external && { searchArtists: external }), calls };
  }

  it("takes an id only when the user may see it: a shared artist or their own, never another user's", async () => {
    const { artists } = resolving(null);
    expect(await artists.resolve(USER, { artistId: 1 })).toBe(1);
    expect(await artists.resolve(USER, { artistId: 2 })).toBe(2);
    await expect(artists.resolve(USER + 1, { artistId: 2 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('uses a known MusicBrainz id under its own name, whatever name the form sent', async () => {
    const external = vi.fn(async () => []);
    const { artists, calls } = resolving(external);
    expect(await artists.resolve(USER, { artistName: 'Free tickets at phish.example', mbid: MBID_A })).toBe(1);
    expect(calls.upserts).toEqual([]);
    expect(external).not.toHaveBeenCalled();
  });

  it("adds a MusicBrainz id to the shared catalogue only as setlist.fm names it, else keeps the name the user's own", async () => {
    const external = vi.fn(async () => [{ name: 'Static Bloom', mbid: MBID_B, sortName: 'Bloom, Static' }]);
    const { artists, calls } = resolving(external);
    expect(await artists.resolve(USER, { artistName: 'static bloom', mbid: MBID_B })).toBe(10);
    expect(calls.upserts).toEqual([{ name: 'Static Bloom', sortName: 'Bloom, Static', mbid: MBID_B }]);

    const madeUp = '33333333-3333-3333-3333-333333333333';
    expect(await artists.resolve(USER, { artistName: 'Invented', mbid: madeUp })).toBe(20);
    expect(await resolving(async () => Promise.reject(new Error('429'))).artists.resolve(USER, { artistName: 'Down', mbid: madeUp })).toBe(20);
    expect(await resolving(null).artists.resolve(USER, { artistName: 'Off', mbid: madeUp })).toBe(20);
    expect(calls.upserts).toHaveLength(1);
    expect(calls.own).toEqual([[USER, 'Invented']]);
  });
});
