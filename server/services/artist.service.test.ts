import { describe, expect, it, vi } from 'vitest';
import type { ArtistRepository, ArtistSummary } from '../repositories/artist.repository.js';
import { ArtistService, type ExternalArtistSearch } from './artist.service.js';

const MBID_A = '11111111-1111-1111-1111-111111111111';
const MBID_B = '22222222-2222-2222-2222-222222222222';

function service(local: ArtistSummary[], external: ExternalArtistSearch['searchArtists'] | null) {
  const repository = { search: async (_: string, limit: number) => local.slice(0, limit) } as unknown as ArtistRepository;
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
    ).search('moth radi', 4);
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
    await service([], external).search('mo', 10);
    expect(await service([{ id: 1, name: 'Moth Radio', sortName: null, mbid: null }], external).search('moth radio', 10)).toHaveLength(1);
    expect(external).not.toHaveBeenCalled();
  });

  it('answers with our artists when the outside catalogue fails', async () => {
    const local = [{ id: 1, name: 'Moth Radio', sortName: null, mbid: null }];
    expect(await service(local, async () => Promise.reject(new Error('429'))).search('moth', 10)).toEqual(local);
  });
});
