/**
 * When setlist.fm's setlists of one date make a festival, and its lineup. setlist.fm
 * has no festival in its API: a festival shows as many setlists at one venue, or as
 * setlists at several stages of one site, which setlist.fm names "<stage>, <site>"
 * ("Pyramid Stage, Worthy Farm"). Pure functions over the parsed API JSON.
 */
import type { SetlistSet } from '../../../shared/concert.schema.js';
import { clippedName } from '../../../shared/text-normalise.js';
import { MBID, setlistSetsOf } from './concert-facts.js';
import type { SetlistFmSetlist } from './setlistfm.schemas.js';

/**
 * At one venue, this many different artists make a festival (Graspop's one field
 * holds a dozen). Two or three are a headliner and its support: the ordinary show.
 */
export const FESTIVAL_MIN_ACTS_AT_ONE_VENUE = 4;
/**
 * On the stages of a site, or at a venue or tour that calls itself a festival ("City of
 * Rock MGM Resorts Festival Grounds", "Vltima Ratio Fest 2022"), two artists already are.
 */
const FESTIVAL_MIN_ACTS_NAMED = 2;

/** Words by which a venue or a tour says it is a festival. */
const FESTIVAL_WORDS = /\b(festival|festivals|fest|open ?air|festivalpark|festivalterrein|festivalgelände)\b/i;

/** Words that make "<first part>, <rest>" a stage of a site, not a room of a venue ("Paradiso, Grote Zaal"). */
const STAGE_WORDS = /(^|\s)(stage|tent|marquee|b[uü]hne|sc[eè]ne|podium)(\s|$)/i;

export interface StageOfSite {
  stage: string;
  site: string;
}

/** "Main Stage, Flevopark" → Main Stage of Flevopark; null when the name is not a stage's. */
export function stageOf(venueName: string): StageOfSite | null {
  const comma = venueName.indexOf(', ');
  if (comma <= 0) return null;
  const stage = venueName.slice(0, comma).trim();
  const site = venueName.slice(comma + 2).trim();
  return site && STAGE_WORDS.test(stage) ? { stage, site } : null;
}

/** What festival days of one site are joined on: the site's name, case and spacing aside. */
export function siteKeyOf(site: string): string {
  return site.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 255);
}

export interface FestivalLineupAct {
  /** mbid: null when setlist.fm's is not a MusicBrainz id. */
  artist: { name: string; mbid: string | null; sortName: string | null };
  stage: string | null;
  setlist: SetlistSet[];
  setlistfmId: string;
  url: string | null;
}

export interface FestivalLineup {
  name: string;
  siteName: string;
  acts: FestivalLineupAct[];
}

/**
 * The festival of a date, or null when the setlists are one show. `atVenue` are the
 * setlists at the venue we stood at; `atSite`, when that venue is a stage, every
 * setlist of that date at the site's stages.
 */
export function festivalLineupFrom(
  atVenue: readonly SetlistFmSetlist[],
  atSite: readonly SetlistFmSetlist[] | null,
  date: string,
): FestivalLineup | null {
  const venue = atVenue[0]?.venue;
  if (!venue) return null;
  const place = stageOf(venue.name);
  const setlists =
    place && atSite
      ? uniqueById([...atVenue, ...atSite.filter((s) => siteKeyOf(stageOf(s.venue.name)?.site ?? '') === siteKeyOf(place.site))])
      : atVenue;
  const acts = actsOf(setlists);
  const namedFestival = FESTIVAL_WORDS.test(venue.name) || setlists.some((setlist) => FESTIVAL_WORDS.test(setlist.tour?.name ?? ''));
  const enough = place || namedFestival ? acts.length >= FESTIVAL_MIN_ACTS_NAMED : acts.length >= FESTIVAL_MIN_ACTS_AT_ONE_VENUE;
  if (!enough) return null;
  const siteName = clippedName(place?.site ?? venue.name, 255);
  return { name: festivalName(setlists, siteName, date), siteName, acts };
}

/** One act per artist (its longest setlist of the day), in setlist.fm's order. */
function actsOf(setlists: readonly SetlistFmSetlist[]): FestivalLineupAct[] {
  const byArtist = new Map<string, FestivalLineupAct & { songs: number }>();
  for (const setlist of setlists) {
    if (!setlist.artist.name) continue;
    const key = setlist.artist.mbid || setlist.artist.name.toLowerCase();
    const songs = setlist.sets.set.reduce((n, set) => n + set.song.length, 0);
    const known = byArtist.get(key);
    if (known && known.songs >= songs) continue;
    byArtist.set(key, {
      artist: {
        name: clippedName(setlist.artist.name, 255),
        mbid: MBID.test(setlist.artist.mbid) ? setlist.artist.mbid : null,
        sortName: setlist.artist.sortName ?? null,
      },
      stage: stageOf(setlist.venue.name)?.stage ?? null,
      setlist: setlistSetsOf(setlist),
      setlistfmId: setlist.id,
      url: setlist.url ?? null,
      songs,
    });
  }
  return [...byArtist.values()].map(({ songs: _songs, ...act }) => act);
}

/** A tour name most of the day's setlists share ("Vltima Ratio Fest 2022"), else the site and the year. */
function festivalName(setlists: readonly SetlistFmSetlist[], siteName: string, date: string): string {
  const tours = new Map<string, number>();
  for (const setlist of setlists) if (setlist.tour?.name) tours.set(setlist.tour.name, (tours.get(setlist.tour.name) ?? 0) + 1);
  const [shared] = [...tours].filter(([, n]) => n >= 2 && n * 2 >= setlists.length).sort((a, b) => b[1] - a[1]);
  return clippedName(shared?.[0] ?? `${siteName} ${date.slice(0, 4)}`, 255);
}

function uniqueById(setlists: readonly SetlistFmSetlist[]): SetlistFmSetlist[] {
  return [...new Map(setlists.map((s) => [s.id, s])).values()];
}
