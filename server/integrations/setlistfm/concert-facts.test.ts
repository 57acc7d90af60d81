import { describe, expect, it } from 'vitest';
import { concertFactsFrom, pickVenue, venueNameSimilarity } from './concert-facts.js';
import { setlistFmSetlistSchema, type SetlistFmSetlist, type SetlistFmVenue } from './setlistfm.schemas.js';

const AMSTERDAM = { id: '2759794', name: 'Amsterdam', coords: { lat: 52.37403, long: 4.88969 }, country: { code: 'NL', name: 'Netherlands' } };
const PARADISO: SetlistFmVenue = { id: '3bd6bc5c', name: 'Paradiso', city: AMSTERDAM };
const mbid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A setlist as the API sends it (parsed through the schema, so the test data is the real shape). */
function setlist(input: { id: string; artist: string; artistId: number; tour?: string; sets?: unknown }): SetlistFmSetlist {
  return setlistFmSetlistSchema.parse({
    id: input.id,
    versionId: `v${input.id}`,
    eventDate: '09-11-2012',
    artist: { mbid: mbid(input.artistId), name: input.artist, sortName: input.artist, url: `https://www.setlist.fm/setlists/${input.id}.html` },
    venue: PARADISO,
    ...(input.tour ? { tour: { name: input.tour } } : {}),
    sets: input.sets ?? { set: [] },
    url: `https://www.setlist.fm/setlist/x/2012/paradiso-amsterdam-netherlands-${input.id}.html`,
  });
}

const songs = (...names: string[]) => names.map((name) => ({ name }));

describe('concertFactsFrom', () => {
  it('returns null when setlist.fm has no setlist for the evening', () => {
    expect(concertFactsFrom([])).toBeNull();
  });

  it('takes the artist with the most live songs as headliner and everyone else as support, most songs first', () => {
    const facts = concertFactsFrom([
      setlist({ id: 'a1', artist: 'Paper Lanterns', artistId: 2, sets: { set: [{ song: songs('One', 'Two', 'Three') }] } }),
      setlist({
        id: 'a2',
        artist: 'Hollow Meridian',
        artistId: 1,
        tour: 'Static Bloom Tour',
        sets: {
          set: [
            {
              song: [
                { name: 'Intro', tape: true },
                { name: 'Glass Rivers' },
                { name: 'Heroes', cover: { mbid: mbid(9), name: 'David Bowie' } },
                { name: 'Wild Heart', info: 'acoustic' },
              ],
            },
            { encore: 1, song: songs('The Ghosts') },
          ],
        },
      }),
      setlist({ id: 'a3', artist: 'Moth Radio', artistId: 3, sets: { set: [] } }),
    ]);
    expect(facts).toEqual({
      headliner: { name: 'Hollow Meridian', mbid: mbid(1), sortName: 'Hollow Meridian' },
      supportingActs: [
        { name: 'Paper Lanterns', mbid: mbid(2) },
        { name: 'Moth Radio', mbid: mbid(3) },
      ],
      tour: 'Static Bloom Tour',
      setlist: [
        {
          songs: [
            { name: 'Intro', tape: true },
            { name: 'Glass Rivers' },
            { name: 'Heroes', coverOf: 'David Bowie' },
            { name: 'Wild Heart', info: 'acoustic' },
          ],
        },
        { encore: 1, songs: [{ name: 'The Ghosts' }] },
      ],
      setlistfmId: 'a2',
      url: 'https://www.setlist.fm/setlist/x/2012/paradiso-amsterdam-netherlands-a2.html',
    });
  });

  it('does not count songs from tape when ranking', () => {
    const facts = concertFactsFrom([
      setlist({
        id: 'b1',
        artist: 'Opener',
        artistId: 2,
        sets: { set: [{ song: [{ name: 'Intro', tape: true }, { name: 'Outro', tape: true }, { name: 'A' }] }] },
      }),
      setlist({ id: 'b2', artist: 'Headliner', artistId: 1, sets: { set: [{ song: songs('A', 'B') }] } }),
    ]);
    expect(facts?.headliner.name).toBe('Headliner');
  });

  it('breaks a tie in songs by the tour name, then by the later position', () => {
    const tied = { set: [{ song: songs('A', 'B') }] };
    const withTour = concertFactsFrom([
      setlist({ id: 'c1', artist: 'Touring', artistId: 1, tour: 'World Tour', sets: tied }),
      setlist({ id: 'c2', artist: 'Local', artistId: 2, sets: tied }),
    ]);
    expect(withTour?.headliner.name).toBe('Touring');
    const later = concertFactsFrom([
      setlist({ id: 'd1', artist: 'Listed First', artistId: 1, sets: tied }),
      setlist({ id: 'd2', artist: 'Listed Second', artistId: 2, sets: tied }),
    ]);
    expect(later?.headliner.name).toBe('Listed Second');
    expect(later?.supportingActs).toEqual([{ name: 'Listed First', mbid: mbid(1) }]);
  });

  it('works when every setlist is an empty stub', () => {
    const facts = concertFactsFrom([
      setlist({ id: 'e1', artist: 'First', artistId: 1, sets: { set: [] } }),
      setlist({ id: 'e2', artist: 'Second', artistId: 2, tour: 'Some Tour', sets: { set: [] } }),
    ]);
    expect(facts).toMatchObject({ headliner: { name: 'Second' }, supportingActs: [{ name: 'First' }], tour: 'Some Tour', setlist: [] });
  });

  it('reads a setlist whose sets are missing or not a list as a stub', () => {
    expect(setlist({ id: 'f1', artist: 'X', artistId: 1, sets: '' }).sets).toEqual({ set: [] });
    expect(setlist({ id: 'f2', artist: 'X', artistId: 1, sets: null }).sets).toEqual({ set: [] });
  });

  it('lists an artist with two setlists on the evening once (early and late show), and never the headliner as support', () => {
    const facts = concertFactsFrom([
      setlist({ id: 'g1', artist: 'Support', artistId: 2, sets: { set: [{ song: songs('A') }] } }),
      setlist({ id: 'g2', artist: 'Star', artistId: 1, sets: { set: [{ song: songs('A', 'B', 'C') }] } }),
      setlist({ id: 'g3', artist: 'Support', artistId: 2, sets: { set: [] } }),
      setlist({ id: 'g4', artist: 'Star', artistId: 1, sets: { set: [{ song: songs('A', 'B') }] } }),
    ]);
    expect(facts?.setlistfmId).toBe('g2');
    expect(facts?.supportingActs).toEqual([{ name: 'Support', mbid: mbid(2) }]);
  });

  it('leaves out an mbid that is not a MusicBrainz id', () => {
    const odd = setlistFmSetlistSchema.parse({
      id: 'h1',
      eventDate: '01-01-2020',
      artist: { mbid: 'x', name: 'Odd' },
      venue: PARADISO,
      sets: { set: [] },
    });
    const facts = concertFactsFrom([odd, setlist({ id: 'h2', artist: 'Main', artistId: 1, sets: { set: [{ song: songs('A') }] } })]);
    expect(facts?.supportingActs).toEqual([{ name: 'Odd' }]);
  });
});

describe('venueNameSimilarity', () => {
  it('sees the same name through case, accents, punctuation and leading articles', () => {
    expect(venueNameSimilarity('The Fillmore', 'Fillmore')).toBe(1);
    expect(venueNameSimilarity("L'Olympia", 'Olympia')).toBe(1);
    expect(venueNameSimilarity('L’Olympia', 'olympia')).toBe(1);
    expect(venueNameSimilarity('Columbiahalle', 'Columbia-Halle')).toBe(1);
    expect(venueNameSimilarity('Le Bataclan', 'Bataclan')).toBe(1);
    expect(venueNameSimilarity('Café de la Danse', 'Cafe de la Danse')).toBe(1);
    expect(venueNameSimilarity('First Avenue & 7th St Entry', 'First Avenue and 7th St Entry')).toBe(1);
  });

  it('scores a name that holds all words of the other as close, and spelling variants as close', () => {
    expect(venueNameSimilarity("L'Olympia", "L'Olympia Bruno Coquatrix")).toBeGreaterThanOrEqual(0.7);
    expect(venueNameSimilarity('Enmore Theatre', 'Enmore Theater')).toBeGreaterThanOrEqual(0.7);
  });

  it('scores different venues low, even in the same city', () => {
    expect(venueNameSimilarity('Paradiso', 'Bitterzoet')).toBeLessThan(0.7);
    expect(venueNameSimilarity('O2 Academy Brixton', 'Brixton Jamm')).toBeLessThan(0.7);
    expect(venueNameSimilarity('O2 Academy Brixton', 'O2 Academy Islington')).toBeLessThan(0.7);
    expect(venueNameSimilarity('Columbiahalle', 'Columbia Theater')).toBeLessThan(0.7);
    expect(venueNameSimilarity('First Avenue', '7th St Entry')).toBeLessThan(0.7);
  });
});

describe('pickVenue', () => {
  const venue = (id: string, name: string, lat: number, long: number, cityName = 'Amsterdam'): SetlistFmVenue => ({
    id,
    name,
    city: { id: id, name: cityName, coords: { lat, long }, country: { code: 'XX', name: 'X' } },
  });
  const paradisoHere = { name: 'Paradiso', latitude: 52.3622, longitude: 4.8839 };

  it('prefers the exact name over a look-alike in the same city', () => {
    const noord = venue('1', 'Paradiso Noord', 52.37403, 4.88969);
    const main = venue('2', 'Paradiso', 52.37403, 4.88969);
    expect(pickVenue([noord, main, venue('3', 'Bitterzoet', 52.37403, 4.88969)], paradisoHere)).toBe(main);
  });

  it('tells same-named venues apart by their city', () => {
    const detroit = venue('d', 'The Fillmore', 42.33143, -83.04575, 'Detroit');
    const sanFrancisco = venue('sf', 'The Fillmore', 37.77493, -122.41942, 'San Francisco');
    expect(pickVenue([detroit, sanFrancisco], { name: 'The Fillmore', latitude: 37.784, longitude: -122.433 })).toBe(sanFrancisco);
  });

  it('refuses a poor name match, and a good name in another city', () => {
    expect(pickVenue([venue('1', 'Bitterzoet', 52.37403, 4.88969), venue('2', 'Melkweg', 52.37403, 4.88969)], paradisoHere)).toBeNull();
    expect(
      pickVenue([venue('3', 'Olympia Theatre', 53.33306, -6.24889, 'Dublin')], { name: "L'Olympia", latitude: 48.8703, longitude: 2.3283 }),
    ).toBeNull();
    expect(pickVenue([], paradisoHere)).toBeNull();
  });

  it('accepts a venue without city coordinates on its name alone', () => {
    const noCity: SetlistFmVenue = { id: 'x', name: 'Paradiso' };
    expect(pickVenue([noCity], paradisoHere)).toBe(noCity);
  });
});

describe('names from setlist.fm', () => {
  it('are normalised as they are parsed: they become shared facts, so nothing hidden or reordered gets through', () => {
    const facts = concertFactsFrom([
      setlist({
        id: '1',
        artist: 'Hollow\u200B Meridian\u202E',
        artistId: 1,
        tour: 'The \u2066Long\u2069\u0000 Way\r\nHome',
        sets: { set: [{ name: 'Encore\u200F', song: [{ name: 'Cafe\u0301\u0007 Song', info: 'with\uFEFF friends' }] }] },
      }),
      setlist({ id: '2', artist: 'Support\u202D Act', artistId: 2 }),
    ])!;
    expect(facts.headliner.name).toBe('Hollow Meridian');
    expect(facts.tour).toBe('The Long Way Home');
    expect(facts.setlist).toEqual([{ name: 'Encore', songs: [{ name: 'Caf\u00E9 Song', info: 'with friends' }] }]);
    expect(facts.supportingActs.map((act) => act.name)).toEqual(['Support Act']);
  });
});
