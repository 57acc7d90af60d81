/**
 * What setlist.fm's answers say about one evening: who headlined, who supported,
 * the tour and the songs; and which of the venues a search returned is the one
 * we stood in. Pure functions over the parsed API JSON.
 */
import type { SetlistSet, SupportingAct } from '../../../shared/concert.schema.js';
import { distanceMeters } from '../../../shared/geo.js';
import { clippedName } from '../../../shared/text-normalise.js';
import type { SetlistFmSetlist, SetlistFmVenue } from './setlistfm.schemas.js';

export interface ConcertFacts {
  headliner: { name: string; mbid: string; sortName: string | null };
  supportingActs: SupportingAct[];
  tour: string | null;
  setlist: SetlistSet[];
  /** The headliner's setlist, for attribution and later refreshes. */
  setlistfmId: string;
  url: string | null;
}

/** A MusicBrainz id; setlist.fm sends other text (or none) for artists MusicBrainz does not know. */
export const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The limits of shared/concert.schema.ts: setlist.fm's free text can exceed them.
const MAX_NAME = 255;
const MAX_INFO = 500;
const MAX_SONGS_PER_SET = 200;
const MBID_LENGTH = 36;

/**
 * The facts of one evening from every setlist at its venue and date, or null when
 * there are none. The headliner played the most live songs (tape does not count);
 * on a tie, the one with a tour name, then the one setlist.fm lists later. Every
 * other artist supported, most songs first.
 */
export function concertFactsFrom(setlists: readonly SetlistFmSetlist[]): ConcertFacts | null {
  if (setlists.length === 0) return null;
  const ranked = setlists.map((setlist, position) => ({ setlist, position, liveSongs: liveSongCount(setlist) }));
  const headliner = ranked.reduce((best, candidate) => (outranks(candidate, best) ? candidate : best));
  const { artist } = headliner.setlist;

  const support = new Map<string, { act: SupportingAct; liveSongs: number }>();
  for (const { setlist, liveSongs } of ranked) {
    const key = setlist.artist.mbid || setlist.artist.name.toLowerCase();
    if (!setlist.artist.name || key === (artist.mbid || artist.name.toLowerCase())) continue;
    const known = support.get(key);
    if (known) {
      known.liveSongs = Math.max(known.liveSongs, liveSongs);
      continue;
    }
    const act: SupportingAct = { name: clip(setlist.artist.name, MAX_NAME) };
    if (setlist.artist.mbid.length === MBID_LENGTH) act.mbid = setlist.artist.mbid;
    support.set(key, { act, liveSongs });
  }

  return {
    headliner: { name: clip(artist.name, MAX_NAME), mbid: artist.mbid, sortName: artist.sortName ? clip(artist.sortName, MAX_NAME) : null },
    supportingActs: [...support.values()].sort((a, b) => b.liveSongs - a.liveSongs || a.act.name.localeCompare(b.act.name)).map(({ act }) => act),
    tour: headliner.setlist.tour?.name ? clip(headliner.setlist.tour.name, MAX_NAME) : null,
    setlist: setlistSetsOf(headliner.setlist),
    setlistfmId: headliner.setlist.id,
    url: headliner.setlist.url ?? null,
  };
}

interface Ranked {
  setlist: SetlistFmSetlist;
  position: number;
  liveSongs: number;
}

function outranks(a: Ranked, b: Ranked): boolean {
  if (a.liveSongs !== b.liveSongs) return a.liveSongs > b.liveSongs;
  const aTour = Boolean(a.setlist.tour?.name);
  const bTour = Boolean(b.setlist.tour?.name);
  if (aTour !== bTour) return aTour;
  return a.position > b.position;
}

function liveSongCount(setlist: SetlistFmSetlist): number {
  return setlist.sets.set.reduce((count, set) => count + set.song.filter((song) => !song.tape).length, 0);
}

/** setlist.fm sets in our shape: tape songs marked, covers named, encores kept, empty sets dropped. */
export function setlistSetsOf(setlist: SetlistFmSetlist): SetlistSet[] {
  return setlist.sets.set
    .filter((set) => set.song.length > 0)
    .map((set) => {
      const out: SetlistSet = {
        songs: set.song.slice(0, MAX_SONGS_PER_SET).map((song) => {
          const out: SetlistSet['songs'][number] = { name: clip(song.name, MAX_NAME) };
          if (song.tape) out.tape = true;
          if (song.info) out.info = clip(song.info, MAX_INFO);
          if (song.cover?.name) out.coverOf = clip(song.cover.name, MAX_NAME);
          return out;
        }),
      };
      if (set.name) out.name = clip(set.name, MAX_NAME);
      if (set.encore) out.encore = set.encore;
      return out;
    });
}

/** Already normalised by the schemas; cut by code points, as the database counts. */
const clip = (text: string, max: number) => clippedName(text, max);

/** A name match below this is a different venue, however close. */
const MIN_NAME_SCORE = 0.7;
/** Farther than this from the venue's city centre, a same-named venue is in another city. */
const MAX_CITY_DISTANCE_KM = 50;
/** A venue whose city has no coordinates cannot be confirmed by place; it wins only on a clearly better name. */
const NO_COORDS_PENALTY = 0.1;

export interface WantedVenue {
  name: string;
  latitude: number;
  longitude: number;
}

/**
 * The candidate that is the venue we know (by name and position), or null when
 * none is named closely enough or all are in another city. setlist.fm gives only
 * the city's coordinates, so distance tells cities apart, and within a city the
 * name decides.
 */
export function pickVenue(candidates: readonly SetlistFmVenue[], want: WantedVenue): SetlistFmVenue | null {
  let best: SetlistFmVenue | null = null;
  let bestScore = -Infinity;
  for (const candidate of candidates) {
    const nameScore = venueNameSimilarity(candidate.name, want.name);
    if (nameScore < MIN_NAME_SCORE) continue;
    const coords = candidate.city?.coords;
    let score: number;
    if (coords) {
      const km = distanceMeters({ latitude: coords.lat, longitude: coords.long }, want) / 1000;
      if (km > MAX_CITY_DISTANCE_KM) continue;
      score = nameScore - km / (MAX_CITY_DISTANCE_KM * 10);
    } else {
      score = nameScore - NO_COORDS_PENALTY;
    }
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

/**
 * 1 for the same name however written ("The Fillmore" / "Fillmore", "L'Olympia" /
 * "Olympia", "Columbiahalle" / "Columbia-Halle"); 0.7–0.9 when one name holds all
 * words of the other ("L'Olympia Bruno Coquatrix"), more the closer their lengths;
 * otherwise the overlap of letter pairs, which forgives spelling ("Theatre" / "Theater").
 */
export function venueNameSimilarity(a: string, b: string): number {
  const wordsA = nameWords(a);
  const wordsB = nameWords(b);
  const compactA = wordsA.join('');
  const compactB = wordsB.join('');
  if (!compactA || !compactB) return 0;
  if (compactA === compactB) return 1;
  const [shorter, longer] = wordsA.length <= wordsB.length ? [wordsA, wordsB] : [wordsB, wordsA];
  if (shorter.every((word) => longer.includes(word))) {
    return 0.7 + 0.2 * (shorter.join('').length / longer.join('').length);
  }
  return bigramDice(compactA, compactB);
}

/** Leading articles that venue names carry or drop ("The Fillmore", "L'Olympia", "Het Paard"). */
const LEADING_ARTICLES = new Set(['the', 'a', 'an', 'l', 'le', 'la', 'les', 'de', 'het', 'die', 'der', 'das', 'el', 'il', 'lo', 'los', 'las']);

/** Lower case, accents and punctuation gone, "&" as "and", leading article dropped. */
export function nameWords(name: string): string[] {
  const words = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’`]/g, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  while (words.length > 1 && LEADING_ARTICLES.has(words[0]!)) words.shift();
  return words;
}

function bigramDice(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const pair = a.slice(i, i + 2);
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const pair = b.slice(i, i + 2);
    const left = pairs.get(pair) ?? 0;
    if (left > 0) {
      shared += 1;
      pairs.set(pair, left - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + b.length - 1);
}
