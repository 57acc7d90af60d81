/**
 * A local stand-in for the setlist.fm API 1.0 (api.setlist.fm/rest/1.0), speaking
 * its HTTP contract as the live API does: JSON when asked with
 * `Accept: application/json`, the key in `x-api-key`, songs under `sets.set[]`,
 * dates as dd-MM-yyyy, 20 items a page (`p` from 1) with `total`, `page` and
 * `itemsPerPage`, 404 `{"code":404,"status":"Not Found","message":"not found"}`
 * for a search that finds nothing, results newest first. The API sits behind an
 * AWS API gateway (its 429s carry `x-amzn-errortype`), which answers a missing or
 * wrong key with 403, too many requests a second with 429 `{"message":"Too Many
 * Requests"}` (mostly without Retry-After: by default every other one carries
 * `Retry-After: 1`, so clients meet both), and the key's daily quota (1,440 for a
 * standard key, per UTC day, counting what passed the rate limit) spent with 429
 * `{"message":"Limit Exceeded"}` until 00:00 UTC.
 *
 * Its data is built from a demo library's manifest, the same on every run: a
 * setlist.fm venue per demo venue (city from the GeoNames gazetteer) and
 * look-alike venues in the same and other cities; for each concert the
 * headliner's setlist, one per supporting act (some empty stubs), a show at a
 * look-alike venue that evening and shows at the venue on other dates. A
 * festival is as setlist.fm keeps one: a venue per stage named "<stage>, <site>"
 * in the site's city (none named just the site), and every act of every day a
 * setlist at its stage, without set times or tour.
 *
 * Simplification: name searches match whole words, case and accents aside (the
 * real search is a fuzzier full-text match, but likewise returns venues and
 * artists that share only part of the name).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reverseGeocode } from '../../server/geo/reverse-geocoder.js';
import {
  toSetlistFmDate,
  type SetlistFmArtist,
  type SetlistFmCity,
  type SetlistFmSet,
  type SetlistFmSetlist,
  type SetlistFmVenue,
} from '../../server/integrations/setlistfm/setlistfm.schemas.js';
import type { SetlistSet } from '../../shared/concert.schema.js';
import { generateSetlist } from '../demo-library/lineup.js';
import type { DemoConcert, DemoFestival, DemoLibraryManifest, DemoVenue } from '../demo-library/manifest.js';
import { createRandom } from '../demo-library/random.js';

// ---------------------------------------------------------------------------
// The catalogue it serves

export interface SetlistFmCatalog {
  venues: SetlistFmVenue[];
  /** Newest first, as setlist.fm sorts search results. */
  setlists: SetlistFmSetlist[];
  /** Everyone with a setlist, and the artists they cover. */
  artists: SetlistFmArtist[];
}

/** Other venues in a demo venue's city, by demo venue key: a name search or a city search finds them too. */
const SAME_CITY_LOOK_ALIKES: Record<string, string[]> = {
  paradiso: ['Paradiso Noord', 'Bitterzoet', 'Melkweg'],
  brixton: ['Brixton Jamm', 'Electric Brixton', 'O2 Academy Islington', "O2 Shepherd's Bush Empire"],
  fillmore: ['Great American Music Hall', 'The Warfield'],
  columbiahalle: ['Columbia Theater', 'Huxleys Neue Welt'],
  bowery: ['Bowery Electric', 'Mercury Lounge'],
  vega: ['Lille Vega', 'Pumpehuset'],
  olympia: ['La Cigale', 'Le Bataclan'],
  'first-avenue': ['7th St Entry', 'Fine Line'],
  enmore: ['Metro Theatre', 'Factory Theatre'],
};

/** Same or similar names in other cities: only the city's position tells them apart. */
const ELSEWHERE_LOOK_ALIKES = [
  { name: 'The Fillmore', latitude: 35.2271, longitude: -80.8431 },
  { name: 'The Fillmore Detroit', latitude: 42.337, longitude: -83.051 },
  { name: 'Fillmore Auditorium', latitude: 39.7402, longitude: -104.9717 },
  { name: 'Olympia Theatre', latitude: 53.3443, longitude: -6.266 },
  { name: 'Vega Scene', latitude: 59.9139, longitude: 10.7522 },
];

/** GeoNames admin1 of the cities above, as setlist.fm's city carries it; others go without. */
const STATES: Record<string, { state: string; stateCode: string }> = {
  'US:San Francisco': { state: 'California', stateCode: 'CA' },
  'US:New York': { state: 'New York', stateCode: 'NY' },
  'US:Minneapolis': { state: 'Minnesota', stateCode: 'MN' },
  'US:Charlotte': { state: 'North Carolina', stateCode: 'NC' },
  'US:Detroit': { state: 'Michigan', stateCode: 'MI' },
  'US:Denver': { state: 'Colorado', stateCode: 'CO' },
  'GB:London': { state: 'England', stateCode: 'ENG' },
  'NL:Amsterdam': { state: 'North Holland', stateCode: '07' },
  'DE:Berlin': { state: 'Berlin', stateCode: '16' },
  'DK:Copenhagen': { state: 'Capital Region', stateCode: '17' },
  'FR:Paris': { state: 'Île-de-France', stateCode: '11' },
  'AU:Sydney': { state: 'New South Wales', stateCode: '02' },
  'IE:Dublin': { state: 'Leinster', stateCode: 'L' },
};

/** Bands that play the demo venues on other evenings. */
const OTHER_ARTISTS = [
  'Ghost Orchard',
  'The Lanternmen',
  'Cinder Bay',
  'Marigold Static',
  'Tin Hearts',
  'The Violet Hours',
  'Salt Lake Radio',
  'Autumn Relay',
  'Low Pines',
  'The Wandering Signals',
  'Glasshouse Youth',
  'Harbour Lights',
  'Copperline',
  'Sleepwalk City',
  'Quiet Comets',
  'Northbound Echo',
  'Velvet Anchors',
  'Midnight Ferris',
  'Silver Arcade',
  'Electric Juniper',
  'Distant Weather',
  'The Tidewater Sound',
];

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });
const DAY_MS = 86_400_000;

const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** A MusicBrainz-style id (a version 5 UUID) that is the same for the same name on every run. */
export function standInMbid(artistName: string): string {
  const h = hex(`artist:${artistName}`, 32);
  const variant = '89ab'[parseInt(h[16]!, 16) & 3];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function artistOf(name: string, mbid = standInMbid(name)): SetlistFmArtist {
  const sortName = /^the /i.test(name) ? `${name.slice(4)}, ${name.slice(0, 3)}` : name;
  return { mbid, name, sortName, url: `https://www.setlist.fm/setlists/${slug(name)}-${hex(`artist-url:${name}`, 8)}.html` };
}

function cityAt(cityName: string | null, latitude: number, longitude: number): SetlistFmCity {
  const place = reverseGeocode(latitude, longitude);
  if (!place) throw new Error(`setlist.fm stand-in: no city near ${latitude}, ${longitude}`);
  const name = cityName ?? place.city;
  return {
    id: String(place.geonameId),
    name,
    ...STATES[`${place.countryCode}:${name}`],
    coords: { lat: place.latitude, long: place.longitude },
    country: { code: place.countryCode, name: countryNames.of(place.countryCode) ?? place.countryCode },
  };
}

function venueIn(name: string, city: SetlistFmCity): SetlistFmVenue {
  const id = hex(`venue:${name}:${city.id}`, 8);
  return { id, name, city, url: `https://www.setlist.fm/venue/${slug(name)}-${slug(city.name)}-${slug(city.country.name)}-${id}.html` };
}

function demoVenueOf(venue: DemoVenue): SetlistFmVenue {
  const city = cityAt(venue.city, venue.latitude, venue.longitude);
  const id = hex(`venue:${venue.key}`, 8);
  return {
    id,
    name: venue.name,
    city,
    url: `https://www.setlist.fm/venue/${slug(venue.name)}-${slug(city.name)}-${slug(city.country.name)}-${id}.html`,
  };
}

/** Our setlist shape in setlist.fm's: tape flags, covers as artists, encores numbered. */
function setsOf(sets: readonly SetlistSet[]): { set: SetlistFmSet[] } {
  return {
    set: sets.map((set) => ({
      ...(set.name ? { name: set.name } : {}),
      ...(set.encore ? { encore: set.encore } : {}),
      song: set.songs.map((song) => ({
        name: song.name,
        ...(song.info ? { info: song.info } : {}),
        ...(song.tape ? { tape: true } : {}),
        ...(song.coverOf ? { cover: artistOf(song.coverOf) } : {}),
      })),
    })),
  };
}

function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function setlistAt(input: {
  venue: SetlistFmVenue;
  localDate: string;
  artist: SetlistFmArtist;
  tour?: string;
  sets: { set: SetlistFmSet[] };
}): SetlistFmSetlist {
  const { venue, localDate, artist } = input;
  const id = hex(`setlist:${venue.id}:${localDate}:${artist.name}`, 8);
  return {
    id,
    versionId: hex(`version:${id}`, 8),
    eventDate: toSetlistFmDate(localDate),
    lastUpdated: `${addDays(localDate, 1)}T12:00:00.000+0000`,
    artist,
    venue,
    ...(input.tour ? { tour: { name: input.tour } } : {}),
    sets: input.sets,
    url: `https://www.setlist.fm/setlist/${slug(artist.name)}/${localDate.slice(0, 4)}/${slug(venue.name)}-${slug(venue.city?.name ?? '')}-${id}.html`,
  };
}

/**
 * `unknownConcerts`: demo concerts (by id) nobody put on setlist.fm, as happens with small shows: their
 * evening has no setlist at their venue, so a scan leaves them for the user to review.
 */
export function buildSetlistFmCatalog(
  manifest: DemoLibraryManifest,
  { unknownConcerts = [] }: { unknownConcerts?: readonly string[] } = {},
): SetlistFmCatalog {
  const venues = new Map<string, SetlistFmVenue>();
  const demoVenues = new Map<string, SetlistFmVenue>();
  const lookAlikesByKey = new Map<string, SetlistFmVenue[]>();
  for (const { venue } of manifest.concerts) {
    if (demoVenues.has(venue.key)) continue;
    const ours = demoVenueOf(venue);
    demoVenues.set(venue.key, ours);
    venues.set(ours.id, ours);
    const lookAlikes = (SAME_CITY_LOOK_ALIKES[venue.key] ?? []).map((name) => venueIn(name, ours.city!));
    lookAlikesByKey.set(venue.key, lookAlikes);
    for (const lookAlike of lookAlikes) venues.set(lookAlike.id, lookAlike);
  }
  for (const elsewhere of ELSEWHERE_LOOK_ALIKES) {
    const venue = venueIn(elsewhere.name, cityAt(null, elsewhere.latitude, elsewhere.longitude));
    venues.set(venue.id, venue);
  }

  const setlists: SetlistFmSetlist[] = [];
  let otherArtist = 0;
  const nextOtherArtist = () => artistOf(OTHER_ARTISTS[otherArtist++ % OTHER_ARTISTS.length]!);
  manifest.concerts.forEach((concert, index) => {
    const venue = demoVenues.get(concert.venue.key)!;
    if (!unknownConcerts.includes(concert.id)) setlists.push(...eveningSetlists(concert, index, venue));
    // Another show in the same city that evening: a city and date search must still filter by venue.
    const lookAlike = lookAlikesByKey.get(concert.venue.key)?.[0];
    if (lookAlike) setlists.push(otherShow(lookAlike, concert.localDate, nextOtherArtist(), false));
    // The venue the evening before and a month later: a venue search must still filter by date.
    setlists.push(otherShow(venue, addDays(concert.localDate, -1), nextOtherArtist(), false));
    setlists.push(otherShow(venue, addDays(concert.localDate, 35), nextOtherArtist(), index % 2 === 0));
  });
  for (const festival of manifest.festivals) {
    const stages = festivalStageVenues(festival);
    for (const stage of stages.values()) venues.set(stage.id, stage);
    setlists.push(...festivalSetlists(festival, stages));
  }
  const newestFirst = (s: SetlistFmSetlist) => s.eventDate.split('-').reverse().join('-');
  // A stable sort: setlists of one evening keep their order (support acts, then the headliner).
  setlists.sort((a, b) => newestFirst(b).localeCompare(newestFirst(a)));

  const artists = new Map<string, SetlistFmArtist>();
  for (const setlist of setlists) {
    artists.set(setlist.artist.mbid, setlist.artist);
    for (const set of setlist.sets.set) {
      for (const song of set.song) if (song.cover?.mbid) artists.set(song.cover.mbid, artistOf(song.cover.name, song.cover.mbid));
    }
  }
  return { venues: [...venues.values()], setlists, artists: [...artists.values()] };
}

/** One evening's setlists: each supporting act (a few songs, or an empty stub), then the headliner's full set. */
function eveningSetlists(concert: DemoConcert, index: number, venue: SetlistFmVenue): SetlistFmSetlist[] {
  const support = concert.supportingActs.map((act, j) => {
    const rng = createRandom(`setlistfm-stand-in:${concert.id}:${act.name}`);
    const stub = (index + j) % 2 === 1;
    const songs = stub ? [] : (generateSetlist(rng)[0]?.songs ?? []).filter((song) => !song.tape).slice(0, rng.int(3, 6));
    return setlistAt({ venue, localDate: concert.localDate, artist: artistOf(act.name, act.mbid), sets: setsOf(songs.length ? [{ songs }] : []) });
  });
  const headliner = setlistAt({
    venue,
    localDate: concert.localDate,
    artist: artistOf(concert.artist),
    tour: concert.tour,
    sets: setsOf(concert.setlist),
  });
  return [...support, headliner];
}

/** The festival's stages as setlist.fm names them ("Main Stage, Flevopark"), by our stage name. */
function festivalStageVenues(festival: DemoFestival): Map<string, SetlistFmVenue> {
  const city = cityAt(festival.site.city, festival.site.latitude, festival.site.longitude);
  return new Map(festival.stages.map((stage) => [stage.name, venueIn(`${stage.name}, ${festival.site.name}`, city)]));
}

/** Every act of every day at its stage, in the order of the day's lineup; set times are not setlist.fm's to know. */
function festivalSetlists(festival: DemoFestival, stages: Map<string, SetlistFmVenue>): SetlistFmSetlist[] {
  return festival.days.flatMap((day) =>
    day.acts.map((act) =>
      setlistAt({ venue: stages.get(act.stage)!, localDate: day.localDate, artist: artistOf(act.artist), sets: setsOf(act.setlist) }),
    ),
  );
}

function otherShow(venue: SetlistFmVenue, localDate: string, artist: SetlistFmArtist, stub: boolean): SetlistFmSetlist {
  const sets = stub ? [] : generateSetlist(createRandom(`setlistfm-stand-in:${venue.id}:${localDate}:${artist.name}`));
  return setlistAt({ venue, localDate, artist, tour: `${artist.name} Live ${localDate.slice(0, 4)}`, sets: setsOf(sets) });
}

// ---------------------------------------------------------------------------
// Searching it

const ITEMS_PER_PAGE = 20;
const STOP_WORDS = new Set(['the', 'and']);

function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word));
}

/** How many of the query's words the name has (0: no match); an empty query matches everything once. */
function wordMatches(name: string, query: string): number {
  const wanted = words(query);
  if (wanted.length === 0) return 1;
  const have = new Set(words(name));
  return wanted.filter((word) => have.has(word)).length;
}

const same = (a: string | undefined, b: string) => a === undefined || a.toLowerCase() === b.toLowerCase();

function searchVenues(catalog: SetlistFmCatalog, q: URLSearchParams): SetlistFmVenue[] {
  const name = q.get('name') ?? '';
  return catalog.venues
    .map((venue) => ({ venue, score: wordMatches(venue.name, name) }))
    .filter(
      ({ venue, score }) =>
        score > 0 &&
        (q.get('cityId') === null || venue.city?.id === q.get('cityId')) &&
        same(q.get('cityName') ?? undefined, venue.city?.name ?? '') &&
        same(q.get('country') ?? undefined, venue.city?.country.code ?? '') &&
        same(q.get('stateCode') ?? undefined, venue.city?.stateCode ?? ''),
    )
    .sort((a, b) => b.score - a.score || a.venue.name.localeCompare(b.venue.name))
    .map(({ venue }) => venue);
}

function searchSetlists(catalog: SetlistFmCatalog, q: URLSearchParams): SetlistFmSetlist[] {
  const artistName = q.get('artistName');
  return catalog.setlists.filter(
    (setlist) =>
      (q.get('venueId') === null || setlist.venue.id === q.get('venueId')) &&
      (q.get('cityId') === null || setlist.venue.city?.id === q.get('cityId')) &&
      same(q.get('cityName') ?? undefined, setlist.venue.city?.name ?? '') &&
      same(q.get('countryCode') ?? undefined, setlist.venue.city?.country.code ?? '') &&
      (q.get('date') === null || setlist.eventDate === q.get('date')) &&
      (q.get('year') === null || setlist.eventDate.endsWith(`-${q.get('year')}`)) &&
      (q.get('artistMbid') === null || setlist.artist.mbid === q.get('artistMbid')) &&
      (artistName === null || wordMatches(setlist.artist.name, artistName) > 0),
  );
}

function searchArtists(catalog: SetlistFmCatalog, q: URLSearchParams): SetlistFmArtist[] {
  const artistName = q.get('artistName');
  return catalog.artists
    .filter(
      (artist) =>
        (q.get('artistMbid') === null || artist.mbid === q.get('artistMbid')) &&
        (artistName === null || artist.name.toLowerCase().includes(artistName.trim().toLowerCase())),
    )
    .sort((a, b) => (a.sortName ?? a.name).localeCompare(b.sortName ?? b.name));
}

// ---------------------------------------------------------------------------
// HTTP

export type SetlistFmFault = 429 | 500 | 503;

export interface SetlistFmStandInOptions {
  manifest: DemoLibraryManifest;
  apiKey: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  faults?: {
    /** Above this many requests a second (a bucket that holds as many), 429. The real API allows about 2. */
    rateLimitPerSecond?: number;
    /** Retry-After on those 429s: never (as the gateway usually answers), always, or on every other one (the default). */
    retryAfter?: 'never' | 'always' | 'alternate';
    /** Requests a UTC day the key may make (a standard key: 1,440); past it, 429 "Limit Exceeded" until 00:00 UTC. */
    dailyLimit?: number;
    /** Answers for the next requests with a valid key, in order, before any is served normally. */
    failNext?: SetlistFmFault[];
  };
  /** Milliseconds since the epoch, for the daily quota (tests move it to the next day). Default: Date.now. */
  clock?: () => number;
  /** Demo concerts (ids) it does not know: see buildSetlistFmCatalog. */
  unknownConcerts?: readonly string[];
}

export interface StandInRequest {
  /** e.g. /rest/1.0/search/setlists */
  path: string;
  query: Record<string, string>;
  status: number;
  /** The Retry-After header sent with a 429, if any. */
  retryAfter?: string;
  /** The gateway's message on a 429: "Too Many Requests" (the rate) or "Limit Exceeded" (the day's quota). */
  message?: string;
}

export interface SetlistFmStandIn {
  /** The API base, ending in /rest/1.0. */
  url: string;
  catalog: SetlistFmCatalog;
  /** Every request received, in order, refused ones included. */
  requests: StandInRequest[];
  /** Requests counted against the key's quota on the clock's current UTC day. */
  usedToday(): number;
  close(): Promise<void>;
}

const BASE_PATH = '/rest/1.0';

export async function startSetlistFmStandIn(options: SetlistFmStandInOptions): Promise<SetlistFmStandIn> {
  const catalog = buildSetlistFmCatalog(options.manifest, { unknownConcerts: options.unknownConcerts ?? [] });
  const failNext = [...(options.faults?.failNext ?? [])];
  const rate = options.faults?.rateLimitPerSecond ?? 2;
  const bucket = { tokens: Math.max(rate, 1), at: performance.now() };
  const requests: StandInRequest[] = [];
  const retryAfter = options.faults?.retryAfter ?? 'alternate';
  const dailyLimit = options.faults?.dailyLimit ?? 1_440;
  const clock = options.clock ?? Date.now;
  const quota = { day: -1, used: 0 };
  let throttled = 0;

  /** One more request against the key's quota of the current UTC day; false once it is spent. */
  const countAgainstQuota = () => {
    const today = Math.floor(clock() / 86_400_000);
    if (quota.day !== today) Object.assign(quota, { day: today, used: 0 });
    if (quota.used >= dailyLimit) return false;
    quota.used += 1;
    return true;
  };
  const tooManyRequests = () => {
    throttled += 1;
    const withRetryAfter = retryAfter === 'always' || (retryAfter === 'alternate' && throttled % 2 === 0);
    return { 'x-amzn-errortype': 'TooManyRequestsException', ...(withRetryAfter ? { 'retry-after': '1' } : {}) };
  };

  const takeToken = () => {
    const now = performance.now();
    bucket.tokens = Math.min(Math.max(rate, 1), bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const entry: StandInRequest = { path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      if (status === 429) {
        entry.message = (body as { message?: string }).message;
        if (headers['retry-after']) entry.retryAfter = headers['retry-after'];
      }
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers }).end(JSON.stringify(body));
    };
    try {
      respond(req, url, send);
    } catch (error) {
      send(500, setlistFmError(500, `setlist.fm stand-in crashed: ${String(error)}`));
    }
  });

  function respond(req: IncomingMessage, url: URL, send: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
    if (req.headers['x-api-key'] !== options.apiKey) {
      return send(403, { message: 'Forbidden' }, { 'x-amzn-errortype': 'ForbiddenException' });
    }
    const fault = failNext.shift();
    if (fault === 429) return send(429, { message: 'Too Many Requests' }, tooManyRequests());
    if (fault === 503) return send(503, { message: 'Service Unavailable' });
    if (fault === 500) return send(500, setlistFmError(500, 'internal server error'));
    if (!takeToken()) return send(429, { message: 'Too Many Requests' }, tooManyRequests());
    if (!countAgainstQuota()) return send(429, { message: 'Limit Exceeded' }, { 'x-amzn-errortype': 'LimitExceededException' });

    if (req.method !== 'GET') return send(405, setlistFmError(405, `${req.method} is not supported`), { allow: 'GET' });
    // Without it the real API answers XML, which no JSON client can read.
    if (!(req.headers.accept ?? '').includes('application/json')) {
      return send(406, setlistFmError(406, 'the setlist.fm stand-in only answers JSON; send Accept: application/json'));
    }
    if (!url.pathname.startsWith(`${BASE_PATH}/`)) return send(404, setlistFmError(404, 'not found'));
    const route = url.pathname.slice(BASE_PATH.length);
    const q = url.searchParams;

    const setlistMatch = /^\/setlist\/([^/]+)$/.exec(route);
    if (setlistMatch) {
      const setlist = catalog.setlists.find((s) => s.id === decodeURIComponent(setlistMatch[1]!));
      return setlist ? send(200, setlist) : send(404, setlistFmError(404, 'unknown setlistId'));
    }
    const page = Number(q.get('p') ?? '1');
    if (!Number.isInteger(page) || page < 1) return send(400, setlistFmError(400, `invalid page: ${q.get('p')}`));
    const paged = <T>(items: T[], key: string, type: string) => {
      const slice = items.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE);
      if (slice.length === 0) return send(404, setlistFmError(404, 'not found'));
      send(200, { type, itemsPerPage: ITEMS_PER_PAGE, page, total: items.length, [key]: slice });
    };
    switch (route) {
      case '/search/venues':
        return paged(searchVenues(catalog, q), 'venue', 'venues');
      case '/search/setlists':
        return paged(searchSetlists(catalog, q), 'setlist', 'setlists');
      case '/search/artists':
        if (q.get('artistName') === null && q.get('artistMbid') === null) {
          return send(400, setlistFmError(400, 'at least one of artistName, artistMbid or artistTmid is required'));
        }
        return paged(searchArtists(catalog, q), 'artist', 'artists');
      default:
        return send(404, setlistFmError(404, 'not found'));
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}${BASE_PATH}`,
    catalog,
    requests,
    usedToday: () => (quota.day === Math.floor(clock() / 86_400_000) ? quota.used : 0),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  500: 'Internal Server Error',
};

/** setlist.fm's own error body; the timestamp as the API writes it ("2016-12-08T17:52:48.817+0000"). */
function setlistFmError(code: number, message: string) {
  return { code, status: STATUS_TEXT[code] ?? 'Error', message, timestamp: new Date().toISOString().replace('Z', '+0000') };
}
