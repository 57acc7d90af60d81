/**
 * The shows of the demo library: fictional bands at real venues, 2012–2024, each
 * photographed with the camera a fan would have had that year. Setlists are
 * generated from the seed, so they are stable too.
 */
import type { SetlistSet } from '../../shared/concert.schema.js';
import type { DemoCamera, DemoStage, DemoVenue } from './manifest.js';
import type { Random } from './random.js';
import { FESTIVAL_SITES, VENUES } from './venues.js';

export interface ShowPlan {
  artist: string;
  tour: string;
  supportingActs: string[];
  venue: DemoVenue;
  localDate: string;
  headlinerStart: string;
  /** The last photos are taken after midnight (00:10–00:50), still this evening's show. */
  runsPastMidnight: boolean;
  camera: DemoCamera;
}

export interface FestivalActPlan {
  artist: string;
  stage: string;
  /** Local wall times "HH:mm"; an end before the start is after midnight. */
  setStart: string;
  setEnd: string;
  /** The fan photographed this set. */
  photographed: boolean;
}

export interface FestivalPlan {
  name: string;
  site: DemoVenue;
  stages: readonly DemoStage[];
  camera: DemoCamera;
  days: readonly { localDate: string; acts: readonly FestivalActPlan[] }[];
}

const CAMERAS = {
  iPhone4S: { make: 'Apple', model: 'iPhone 4S', writesOffset: false, subSecondDigits: 3, fileName: 'IMG' },
  galaxyS5: { make: 'samsung', model: 'SM-G900F', writesOffset: false, subSecondDigits: 0, fileName: 'SAMSUNG' },
  iPhone6s: { make: 'Apple', model: 'iPhone 6s', writesOffset: false, subSecondDigits: 3, fileName: 'IMG' },
  fujiXT2: { make: 'FUJIFILM', model: 'X-T2', writesOffset: false, subSecondDigits: 0, fileName: 'DSCF' },
  iPhone7: { make: 'Apple', model: 'iPhone 7', writesOffset: false, subSecondDigits: 3, fileName: 'IMG' },
  pixel2: { make: 'Google', model: 'Pixel 2', writesOffset: true, subSecondDigits: 3, fileName: 'PXL' },
  iPhoneXS: { make: 'Apple', model: 'iPhone XS', writesOffset: true, subSecondDigits: 3, fileName: 'IMG' },
  canonR6: { make: 'Canon', model: 'Canon EOS R6', writesOffset: true, subSecondDigits: 2, fileName: 'IMG' },
  galaxyS22: { make: 'samsung', model: 'SM-S901B', writesOffset: true, subSecondDigits: 3, fileName: 'SAMSUNG' },
  iPhone15Pro: { make: 'Apple', model: 'iPhone 15 Pro', writesOffset: true, subSecondDigits: 3, fileName: 'IMG' },
} as const satisfies Record<string, DemoCamera>;

/** In this order: a small library takes the first shows, which include one past midnight. */
export const SHOWS: readonly ShowPlan[] = [
  {
    artist: 'Hollow Meridian',
    tour: 'Static Bloom Tour',
    supportingActs: ['Paper Lanterns'],
    venue: VENUES.paradiso,
    localDate: '2012-11-09',
    headlinerStart: '21:15',
    runsPastMidnight: false,
    camera: CAMERAS.iPhone4S,
  },
  {
    artist: 'The Copper Satellites',
    tour: 'Orbit & Rust Tour',
    supportingActs: ['Velvet Lanes', 'June Harbour'],
    venue: VENUES.brixton,
    localDate: '2014-03-21',
    headlinerStart: '21:30',
    runsPastMidnight: true,
    camera: CAMERAS.galaxyS5,
  },
  {
    artist: 'Juniper Static',
    tour: 'Fault Lines World Tour',
    supportingActs: ['The Quiet Arcades'],
    venue: VENUES.fillmore,
    localDate: '2015-10-02',
    headlinerStart: '21:00',
    runsPastMidnight: false,
    camera: CAMERAS.iPhone6s,
  },
  {
    artist: 'Neon Harbour',
    tour: 'Afterglow Europe 2016',
    supportingActs: ['Kaleido'],
    venue: VENUES.columbiahalle,
    localDate: '2016-06-17',
    headlinerStart: '21:00',
    runsPastMidnight: false,
    camera: CAMERAS.fujiXT2,
  },
  {
    artist: 'Velvet Orbit',
    tour: 'Night Swimmers Tour',
    supportingActs: ['Saint Ember'],
    venue: VENUES.bowery,
    localDate: '2017-09-29',
    headlinerStart: '22:00',
    runsPastMidnight: true,
    camera: CAMERAS.iPhone7,
  },
  {
    artist: 'Northern Tides',
    tour: 'Salt & Static Tour',
    supportingActs: ['Fjordlys'],
    venue: VENUES.vega,
    localDate: '2018-12-07',
    headlinerStart: '21:00',
    runsPastMidnight: false,
    camera: CAMERAS.pixel2,
  },
  {
    artist: 'Marble Youth',
    tour: 'Golden Hour Tour 2019',
    supportingActs: ['Les Voiles', 'Atlas Park'],
    venue: VENUES.olympia,
    localDate: '2019-07-05',
    headlinerStart: '21:15',
    runsPastMidnight: false,
    camera: CAMERAS.iPhoneXS,
  },
  {
    artist: 'Prairie Ghosts',
    tour: 'Long Winter Tour',
    supportingActs: ['Lake Effect'],
    venue: VENUES.firstAvenue,
    localDate: '2021-11-19',
    headlinerStart: '21:30',
    runsPastMidnight: true,
    camera: CAMERAS.canonR6,
  },
  {
    artist: 'Saltwater Choir',
    tour: 'Tidelines Australian Tour',
    supportingActs: ['The Jacarandas'],
    venue: VENUES.enmore,
    localDate: '2023-02-10',
    headlinerStart: '21:00',
    runsPastMidnight: false,
    camera: CAMERAS.galaxyS22,
  },
  {
    artist: 'Hollow Meridian',
    tour: 'Static Bloom Anniversary Tour',
    supportingActs: ['Moth Radio'],
    venue: VENUES.paradiso,
    localDate: '2024-04-12',
    headlinerStart: '21:00',
    runsPastMidnight: true,
    camera: CAMERAS.iPhone15Pro,
  },
];

const MAIN = 'Main Stage';
const MEADOW = 'Meadow Stage';

/**
 * The demo festival: a Friday and Saturday in July 2023 at Flevopark, three acts a day
 * on the main stage and two on the meadow stage, each set 45–90 minutes. The fan sees
 * one act a stage on Friday; on Saturday two on the main stage (the headliner plays
 * past midnight) and one on the meadow stage, always 30 minutes or more between them.
 */
export const FESTIVAL: FestivalPlan = {
  name: 'Oostwind Festival',
  site: FESTIVAL_SITES.flevopark.site,
  stages: FESTIVAL_SITES.flevopark.stages,
  camera: CAMERAS.galaxyS22,
  days: [
    {
      localDate: '2023-07-21',
      acts: [
        { artist: 'Polder Kites', stage: MAIN, setStart: '17:00', setEnd: '17:45', photographed: false },
        { artist: 'Morning Cassettes', stage: MEADOW, setStart: '18:00', setEnd: '18:50', photographed: false },
        { artist: 'The Amber Rooms', stage: MAIN, setStart: '19:00', setEnd: '20:15', photographed: true },
        { artist: 'Rosa Dune', stage: MEADOW, setStart: '20:45', setEnd: '21:45', photographed: true },
        { artist: 'Wolfram & Rye', stage: MAIN, setStart: '22:15', setEnd: '23:45', photographed: false },
      ],
    },
    {
      localDate: '2023-07-22',
      acts: [
        { artist: 'The Blue Aviaries', stage: MAIN, setStart: '18:00', setEnd: '19:00', photographed: true },
        { artist: 'Paloma Skies', stage: MEADOW, setStart: '19:15', setEnd: '20:15', photographed: false },
        { artist: 'Fever Garden', stage: MAIN, setStart: '20:30', setEnd: '21:45', photographed: false },
        { artist: 'Lumen Drive', stage: MEADOW, setStart: '21:45', setEnd: '22:45', photographed: true },
        { artist: 'Orchid Telegraph', stage: MAIN, setStart: '23:15', setEnd: '00:45', photographed: true },
      ],
    },
  ],
};

const ADJECTIVES = [
  'Golden',
  'Hollow',
  'Electric',
  'Quiet',
  'Silver',
  'Broken',
  'Paper',
  'Neon',
  'Northern',
  'Velvet',
  'Wild',
  'Slow',
  'Burning',
  'Glass',
  'Midnight',
  'Distant',
];
const NOUNS = [
  'Rivers',
  'Satellites',
  'Heart',
  'Static',
  'Summer',
  'Lanterns',
  'Harbour',
  'Ghosts',
  'Horizon',
  'Engines',
  'Fever',
  'Signals',
  'Tides',
  'Cathedral',
  'Weather',
  'Echoes',
];
const COVERS = [
  { name: 'Heroes', coverOf: 'David Bowie' },
  { name: 'Dancing in the Dark', coverOf: 'Bruce Springsteen' },
  { name: 'Running Up That Hill', coverOf: 'Kate Bush' },
  { name: 'Just Like Heaven', coverOf: 'The Cure' },
];

/** 10–18 songs: sometimes a tape intro, a main set, an encore; now and then a cover. */
export function generateSetlist(rng: Random): SetlistSet[] {
  const total = rng.int(10, 18);
  const encoreLength = rng.int(2, 4);
  const titles = new Set<string>();
  while (titles.size < total) titles.add(songTitle(rng));
  const songs: SetlistSet['songs'] = [...titles].map((name) => ({ name }));
  if (rng.chance(0.4)) songs[rng.int(3, total - encoreLength - 1)] = { ...rng.pick(COVERS) };
  const main = songs.slice(0, total - encoreLength);
  if (rng.chance(0.5)) main.unshift({ name: 'Intro', tape: true });
  return [{ songs: main }, { encore: 1, songs: songs.slice(total - encoreLength) }];
}

/** A festival set: 6–14 songs, no tape intro, no encore; now and then a cover. */
export function generateFestivalSetlist(rng: Random): SetlistSet[] {
  const total = rng.int(6, 14);
  const titles = new Set<string>();
  while (titles.size < total) titles.add(songTitle(rng));
  const songs: SetlistSet['songs'] = [...titles].map((name) => ({ name }));
  if (rng.chance(0.3)) songs[rng.int(1, total - 2)] = { ...rng.pick(COVERS) };
  return [{ songs }];
}

function songTitle(rng: Random): string {
  const adjective = rng.pick(ADJECTIVES);
  const noun = rng.pick(NOUNS);
  switch (rng.int(0, 3)) {
    case 0:
      return `${adjective} ${noun}`;
    case 1:
      return `The ${noun}`;
    case 2:
      return `${noun} of ${rng.pick(NOUNS.filter((other) => other !== noun))}`;
    default:
      return `${adjective} in the ${noun}`;
  }
}
