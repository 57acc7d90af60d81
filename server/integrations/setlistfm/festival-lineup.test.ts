import { describe, expect, it } from 'vitest';
import { festivalLineupFrom, siteKeyOf, stageOf } from './festival-lineup.js';
import { setlistFmSetlistSchema, type SetlistFmSetlist, type SetlistFmVenue } from './setlistfm.schemas.js';

const AMSTERDAM = { id: '2759794', name: 'Amsterdam', coords: { lat: 52.37403, long: 4.88969 }, country: { code: 'NL', name: 'Netherlands' } };
const MAIN: SetlistFmVenue = { id: '1bd6a1a0', name: 'Main Stage, Flevopark', city: AMSTERDAM };
const LAKE: SetlistFmVenue = { id: '1bd6a1a4', name: 'Lake Stage, Flevopark', city: AMSTERDAM };
const PARADISO: SetlistFmVenue = { id: '3bd6bc5c', name: 'Paradiso', city: AMSTERDAM };
const GRASPOP: SetlistFmVenue = { id: '4bd6e3b2', name: 'Boeretang', city: { ...AMSTERDAM, id: '2802170', name: 'Dessel' } };
const mbid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A setlist as the API sends it (parsed through the schema, so the test data is the real shape). */
function setlist(id: string, artistId: number, venue: SetlistFmVenue, tour?: string): SetlistFmSetlist {
  return setlistFmSetlistSchema.parse({
    id,
    versionId: `v${id}`,
    eventDate: '14-07-2023',
    artist: { mbid: mbid(artistId), name: `Band ${artistId}`, sortName: `Band ${artistId}`, url: `https://www.setlist.fm/setlists/${id}.html` },
    venue,
    ...(tour ? { tour: { name: tour } } : {}),
    sets: { set: [{ song: [{ name: 'Opener' }, { name: 'Closer' }] }] },
    url: `https://www.setlist.fm/setlist/band/2023/${id}.html`,
  });
}

describe('stageOf', () => {
  it('reads setlist.fm’s "<stage>, <site>" names, and nothing else', () => {
    expect(stageOf('Pyramid Stage, Worthy Farm')).toEqual({ stage: 'Pyramid Stage', site: 'Worthy Farm' });
    expect(stageOf('Super Stage, Circuit of the Americas')).toEqual({ stage: 'Super Stage', site: 'Circuit of the Americas' });
    expect(stageOf('Paradiso, Grote Zaal')).toBeNull();
    expect(stageOf('Hard Rock Live at Seminole Hard Rock Hotel & Casino')).toBeNull();
    expect(siteKeyOf('  Flevo   Park ')).toBe('flevo park');
  });
});

describe('festivalLineupFrom', () => {
  it('makes the acts of every stage of the site one festival, each act with its stage', () => {
    const atMain = [setlist('a1', 1, MAIN), setlist('a2', 2, MAIN)];
    const atSite = [...atMain, setlist('b1', 3, LAKE), setlist('p1', 9, PARADISO)];
    const lineup = festivalLineupFrom(atMain, atSite, '2023-07-14');
    expect(lineup).toMatchObject({ name: 'Flevopark 2023', siteName: 'Flevopark' });
    expect(lineup!.acts.map((a) => [a.artist.name, a.stage])).toEqual([
      ['Band 1', 'Main Stage'],
      ['Band 2', 'Main Stage'],
      ['Band 3', 'Lake Stage'],
    ]);
  });

  it('is one show, not a festival, for a headliner and its support at an ordinary venue', () => {
    expect(festivalLineupFrom([setlist('a1', 1, PARADISO), setlist('a2', 2, PARADISO), setlist('a3', 3, PARADISO)], null, '2023-07-14')).toBeNull();
  });

  it('is a festival for four or more artists at one venue, named by a tour most of them share', () => {
    const day = [1, 2, 3, 4].map((n) => setlist(`g${n}`, n, GRASPOP, n < 4 ? 'Graspop Metal Meeting 2023' : undefined));
    expect(festivalLineupFrom(day, null, '2023-07-14')).toMatchObject({ name: 'Graspop Metal Meeting 2023', siteName: 'Boeretang' });
  });

  it('is a festival for two artists at a venue or on a tour that calls itself a festival, and one show otherwise', () => {
    const grounds: SetlistFmVenue = { ...PARADISO, id: '6bd40226', name: 'City of Rock MGM Resorts Festival Grounds' };
    expect(festivalLineupFrom([setlist('c1', 1, grounds), setlist('c2', 2, grounds)], null, '2015-05-09')).toMatchObject({
      name: 'City of Rock MGM Resorts Festival Grounds 2015',
      acts: [{ artist: { name: 'Band 1' } }, { artist: { name: 'Band 2' } }],
    });
    const fest = [setlist('v1', 1, PARADISO, 'Vltima Ratio Fest 2022'), setlist('v2', 2, PARADISO, 'Vltima Ratio Fest 2022')];
    expect(festivalLineupFrom(fest, null, '2022-10-02')).toMatchObject({ name: 'Vltima Ratio Fest 2022', siteName: 'Paradiso' });
    // "Festsaal" is a hall, and a headliner's own tour with its support is a show.
    const hall: SetlistFmVenue = { ...PARADISO, name: 'Festsaal Kreuzberg' };
    expect(festivalLineupFrom([setlist('k1', 1, hall, 'World Tour'), setlist('k2', 2, hall)], null, '2022-10-02')).toBeNull();
  });

  it('is one show for a lone artist on a stage-named venue (a stadium concert at a race track)', () => {
    const stones = setlist('s1', 5, { ...MAIN, name: 'Super Stage, Circuit of the Americas' });
    expect(festivalLineupFrom([stones], [stones], '2021-11-20')).toBeNull();
  });
});
