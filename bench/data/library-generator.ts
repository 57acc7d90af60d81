/**
 * The rows of the data benchmark's database, made up deterministically (one seed,
 * the same rows every time): many users with a handful of concerts each, and one
 * heavy user whose library is what the timed queries read. Shapes follow the
 * product: shared artists and venues, setlists as JSON, starred photos, unmatched
 * photos, duplicate groups (exact copies, re-saved copies, bursts), perceptual
 * hashes with their four chunk columns.
 *
 * Perceptual hashes are a model, not images: each concert has a scene hash and its
 * photos differ from it in 6–16 random bits (one stage, one seat, one evening), so
 * photos of an evening sit closer to each other than to the rest of the library,
 * as concert photos do; copies differ from their original in 0–3 bits, burst
 * frames in 0–4.
 */
import { createRandom } from '../../scripts/demo-library/random.js';

export interface SeedParameters {
  users: number;
  heavyPhotos: number;
  heavyConcerts: number;
  artists: number;
  venues: number;
  /** Share of the heavy user's photos left unmatched. */
  heavyUnmatchedShare: number;
}

export const DEFAULT_SEED: SeedParameters = {
  users: 10_000,
  heavyPhotos: 100_000,
  heavyConcerts: 2_000,
  artists: 3_000,
  venues: 1_500,
  heavyUnmatchedShare: 0.05,
};

export type Row = Record<string, string | number | null>;

export interface UserRows {
  users: Row[];
  sources: Row[];
  concerts: Row[];
  duplicate_groups: Row[];
  photos: Row[];
}

const CITIES = [
  ['Berlin', 'DE', 52.52, 13.405, 'Europe/Berlin'],
  ['Hamburg', 'DE', 53.551, 9.993, 'Europe/Berlin'],
  ['London', 'GB', 51.507, -0.128, 'Europe/London'],
  ['Manchester', 'GB', 53.48, -2.242, 'Europe/London'],
  ['Paris', 'FR', 48.857, 2.352, 'Europe/Paris'],
  ['Lyon', 'FR', 45.764, 4.836, 'Europe/Paris'],
  ['Amsterdam', 'NL', 52.368, 4.904, 'Europe/Amsterdam'],
  ['Brussels', 'BE', 50.85, 4.352, 'Europe/Brussels'],
  ['Madrid', 'ES', 40.417, -3.704, 'Europe/Madrid'],
  ['Barcelona', 'ES', 41.385, 2.173, 'Europe/Madrid'],
  ['Milan', 'IT', 45.464, 9.19, 'Europe/Rome'],
  ['Vienna', 'AT', 48.208, 16.374, 'Europe/Vienna'],
  ['Zurich', 'CH', 47.377, 8.541, 'Europe/Zurich'],
  ['Copenhagen', 'DK', 55.676, 12.568, 'Europe/Copenhagen'],
  ['Stockholm', 'SE', 59.329, 18.069, 'Europe/Stockholm'],
  ['Oslo', 'NO', 59.914, 10.752, 'Europe/Oslo'],
  ['Prague', 'CZ', 50.075, 14.438, 'Europe/Prague'],
  ['Warsaw', 'PL', 52.23, 21.012, 'Europe/Warsaw'],
  ['Dublin', 'IE', 53.35, -6.26, 'Europe/Dublin'],
  ['Lisbon', 'PT', 38.722, -9.139, 'Europe/Lisbon'],
  ['New York', 'US', 40.713, -74.006, 'America/New_York'],
  ['Chicago', 'US', 41.878, -87.63, 'America/Chicago'],
  ['Los Angeles', 'US', 34.052, -118.244, 'America/Los_Angeles'],
  ['Austin', 'US', 30.267, -97.743, 'America/Chicago'],
  ['Toronto', 'CA', 43.653, -79.383, 'America/Toronto'],
  ['Montreal', 'CA', 45.502, -73.567, 'America/Toronto'],
  ['Mexico City', 'MX', 19.433, -99.133, 'America/Mexico_City'],
  ['São Paulo', 'BR', -23.551, -46.633, 'America/Sao_Paulo'],
  ['Tokyo', 'JP', 35.676, 139.65, 'Asia/Tokyo'],
  ['Melbourne', 'AU', -37.814, 144.963, 'Australia/Melbourne'],
] as const;
const VENUE_WORDS = [
  'Roxy',
  'Paradiso',
  'Olympia',
  'Forum',
  'Palladium',
  'Apollo',
  'Fillmore',
  'Academy',
  'Astoria',
  'Columbia',
  'Tivoli',
  'Melkweg',
  'Lido',
  'Bataclan',
  'Metro',
  'Garage',
];
const VENUE_KINDS = ['Hall', 'Theatre', 'Club', 'Ballroom', 'Arena', 'Garden', 'Pavilion', 'Stage'];
const ADJECTIVES = [
  'Electric',
  'Silver',
  'Broken',
  'Velvet',
  'Midnight',
  'Golden',
  'Hollow',
  'Neon',
  'Wild',
  'Quiet',
  'Burning',
  'Paper',
  'Crystal',
  'Northern',
  'Savage',
  'Lonely',
  'Atomic',
  'Gentle',
  'Iron',
  'Violet',
  'Restless',
  'Frozen',
  'Shining',
  'Heavy',
  'Sonic',
  'Lucky',
  'Crimson',
  'Distant',
  'Bitter',
  'Sweet',
];
const NOUNS = [
  'Foxes',
  'Hearts',
  'Machines',
  'Tigers',
  'Rivers',
  'Ghosts',
  'Horses',
  'Lights',
  'Owls',
  'Kings',
  'Wolves',
  'Strangers',
  'Satellites',
  'Sisters',
  'Brothers',
  'Mountains',
  'Oceans',
  'Crows',
  'Engines',
  'Dreamers',
  'Pilots',
  'Saints',
  'Shadows',
  'Echoes',
  'Comets',
  'Lions',
  'Stars',
  'Roses',
  'Bees',
  'Drums',
  'Waves',
  'Monks',
  'Sparks',
  'Giants',
  'Doves',
  'Pirates',
  'Thieves',
  'Queens',
  'Rebels',
  'Wires',
];
const SONG_WORDS = [
  'Love',
  'Night',
  'Fire',
  'Road',
  'Home',
  'Heart',
  'Summer',
  'Rain',
  'Gold',
  'Light',
  'Run',
  'Dance',
  'River',
  'City',
  'Dream',
  'Storm',
  'Blue',
  'Wild',
  'Ghost',
  'Sun',
  'Moon',
  'Ocean',
  'Glass',
  'Stone',
];
const CAMERAS = [
  ['Apple', 'iPhone 12'],
  ['Apple', 'iPhone 15 Pro'],
  ['Sony', 'ILCE-7M3'],
  ['Canon', 'EOS R6'],
  ['Google', 'Pixel 8'],
  ['FUJIFILM', 'X-T4'],
] as const;
const LAST_DAY = Date.UTC(2026, 9, 31);

/** The demo generator's seeded PRNG, with the draws this seed needs: the same numbers on every machine. */
export function randomSource(seed: number) {
  const random = createRandom(seed);
  const { next } = random;
  return Object.assign(random, {
    hex: (length: number) => Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join(''),
    hash64: () => (BigInt(Math.floor(next() * 2 ** 32)) << 32n) | BigInt(Math.floor(next() * 2 ** 32)),
  });
}
type Random = ReturnType<typeof randomSource>;

/** A Zipf-like pick from 0..n-1: a few favourites most of the time, a long tail. */
function zipfPicker(n: number, random: Random) {
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 1; k <= n; k++) {
    total += 1 / k;
    cumulative.push(total);
  }
  return () => {
    const target = random.next() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

function flipBits(hash: bigint, bits: number, random: Random): bigint {
  const positions = new Set<number>();
  while (positions.size < bits) positions.add(random.int(0, 63));
  let flipped = hash;
  for (const position of positions) flipped ^= 1n << BigInt(position);
  return flipped;
}

const sqlInstant = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const sqlDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

export function sharedRows(params: SeedParameters) {
  const random = randomSource(7);
  const artists: Row[] = Array.from({ length: params.artists }, (_, i) => {
    const name = `${random.chance(0.4) ? 'The ' : ''}${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    return { id: i + 1, name, sort_name: name.replace(/^The /, ''), mbid: null };
  });
  const venues: Row[] = Array.from({ length: params.venues }, (_, i) => {
    const [city, countryCode, latitude, longitude] = CITIES[i % CITIES.length]!;
    return {
      id: i + 1,
      name: `${random.chance(0.3) ? 'The ' : ''}${random.pick(VENUE_WORDS)} ${random.pick(VENUE_KINDS)}`,
      city,
      country_code: countryCode,
      latitude: latitude + (random.next() - 0.5) * 0.15,
      longitude: longitude + (random.next() - 0.5) * 0.2,
      osm_type: 'node',
      osm_id: 1_000_000 + i,
    };
  });
  return { artists, venues };
}

/** A setlist of an artist's songs (the same repertoire every night, so songs repeat across concerts), sometimes with a tape intro. */
function setlistOf(artistId: number, random: Random) {
  const repertoire = randomSource(artistId * 7919);
  const songs = Array.from({ length: 40 }, () => `${repertoire.pick(SONG_WORDS)} ${repertoire.pick(SONG_WORDS)}`);
  const played = Array.from({ length: random.int(12, 22) }, () => ({ name: random.pick(songs) }));
  const main = random.chance(0.2) ? [{ name: 'Intro', tape: true }, ...played] : played;
  const sets: Array<{ encore?: number; songs: Array<{ name: string; tape?: boolean }> }> = [{ songs: main }];
  if (random.chance(0.6)) sets.push({ encore: 1, songs: Array.from({ length: random.int(1, 4) }, () => ({ name: random.pick(songs) })) });
  return JSON.stringify(sets);
}

export interface IdCounters {
  concert: number;
  photo: number;
  group: number;
}

interface UserShape {
  concerts: number;
  photos: number;
  unmatchedShare: number;
  firstDay: number;
  /** Chances, per shot, of an exact copy, a re-saved copy and a burst. */
  copies: { exact: number; near: number; burst: number };
  favouriteArtists: number;
  favouriteVenues: number;
}

const HEAVY: Omit<UserShape, 'concerts' | 'photos' | 'unmatchedShare'> = {
  firstDay: Date.UTC(1990, 0, 1),
  copies: { exact: 0.015, near: 0.015, burst: 0.02 },
  favouriteArtists: 400,
  favouriteVenues: 150,
};

/** Everything of one user. The heavy user is the one whose library the benchmark reads. */
export function userRows(userId: number, heavy: boolean, params: SeedParameters, venueRows: readonly Row[], ids: IdCounters): UserRows {
  const random = randomSource(userId * 104_729 + 1);
  const shape: UserShape = heavy
    ? { ...HEAVY, concerts: params.heavyConcerts, photos: params.heavyPhotos, unmatchedShare: params.heavyUnmatchedShare }
    : {
        concerts: random.int(1, 8),
        photos: 0,
        unmatchedShare: 0,
        firstDay: Date.UTC(2005, 0, 1),
        copies: { exact: 0.01, near: 0, burst: 0.01 },
        favouriteArtists: 20,
        favouriteVenues: 10,
      };
  const rows: UserRows = {
    users: [
      { id: userId, email: `user${userId}@bench.invalid`, name: heavy ? 'Heavy Listener' : `Listener ${userId}`, password_hash: '!', role: 'user' },
    ],
    sources: [{ id: userId, user_id: userId, kind: 'local', label: 'Photos', local_path: `/srv/photos/${userId}` }],
    concerts: [],
    duplicate_groups: [],
    photos: [],
  };
  const favouriteArtists = Array.from({ length: shape.favouriteArtists }, () => random.int(1, params.artists));
  const favouriteVenues = Array.from({ length: shape.favouriteVenues }, () => random.int(1, params.venues));
  const artistPick = zipfPicker(favouriteArtists.length, random);
  const venuePick = zipfPicker(favouriteVenues.length, random);

  const evenings = Array.from({ length: shape.concerts }, () => sqlDate(shape.firstDay + random.next() * (LAST_DAY - shape.firstDay))).sort();
  const concertPlaces: Array<{ id: number; day: string; venue: Row; zone: string }> = [];
  for (const day of evenings) {
    const venue = venueRows[favouriteVenues[venuePick()]! - 1]!;
    const zone = CITIES.find(([city]) => city === venue.city)![4];
    const needsReview = random.chance(heavy ? 0.08 : 0.15);
    const artistId = needsReview && random.chance(0.5) ? null : favouriteArtists[artistPick()]!;
    const id = ++ids.concert;
    rows.concerts.push({
      id,
      user_id: userId,
      artist_id: artistId,
      venue_id: venue.id as number,
      concert_date: day,
      city: venue.city as string,
      country_code: venue.country_code as string,
      tour: artistId && random.chance(0.5) ? `${random.pick(ADJECTIVES)} Tour` : null,
      setlist: artistId && random.chance(0.7) ? setlistOf(artistId, random) : null,
      latitude: venue.latitude as number,
      longitude: venue.longitude as number,
      time_zone: zone,
      venue_confidence: 0.9,
      status: needsReview ? 'needs_review' : 'confirmed',
      created_at: sqlInstant(dayOf(day) + 86_400_000),
      updated_at: sqlInstant(dayOf(day) + 86_400_000),
    });
    concertPlaces.push({ id, day, venue, zone });
  }

  const photoTarget = heavy ? shape.photos : 0;
  const unmatched = Math.round(photoTarget * shape.unmatchedShare);
  // Photos per concert vary a lot: a few shots of one show, hundreds of another.
  const weights = concertPlaces.map(() => 0.2 + random.next() * random.next() * 4);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const quotas = heavy ? weights.map((w) => Math.floor((w / weightSum) * (photoTarget - unmatched))) : concertPlaces.map(() => random.int(2, 10));
  if (heavy) quotas[quotas.length - 1]! += photoTarget - unmatched - quotas.reduce((a, b) => a + b, 0);

  const emitEvening = (concertId: number | null, day: string, venue: Row | null, zone: string, quota: number) => {
    const scene = random.hash64();
    const start = dayOf(day) + 18 * 3_600_000 + random.int(0, 90) * 60_000;
    let emitted = 0;
    let at = start;
    while (emitted < quota) {
      at += random.int(5_000, 240_000) + random.int(0, 999);
      const original = photoRow(userId, concertId, venue, zone, at, flipBits(scene, random.int(6, 16), random), random, ids);
      rows.photos.push(original);
      emitted += 1;
      const kind = random.chance(shape.copies.exact)
        ? 'exact'
        : random.chance(shape.copies.near)
          ? 'near'
          : random.chance(shape.copies.burst)
            ? 'burst'
            : null;
      if (!kind || emitted >= quota || original.status !== 'ready') continue;
      const members = [original];
      const extra = Math.min(kind === 'burst' ? random.int(1, 3) : 1, quota - emitted);
      for (let i = 0; i < extra; i++) {
        const copy: Row = { ...original, id: ++ids.photo, source_file_id: `Backup/${original.source_file_id}.${i}`, starred: 0, variants_key: null };
        if (kind === 'near' || kind === 'burst') {
          const hash = flipBits(BigInt(original.perceptual_hash as string), random.int(0, kind === 'near' ? 3 : 4), random);
          Object.assign(copy, hashColumns(hash), {
            content_hash: random.hex(64),
            width: 2048,
            height: 1536,
            byte_size: random.int(400_000, 900_000),
          });
          if (kind === 'burst' && original.taken_at)
            copy.taken_at = sqlInstant(Date.parse(`${original.taken_at}Z`) + (i + 1) * random.int(300, 2_000));
        }
        members.push(copy);
        rows.photos.push(copy);
        emitted += 1;
      }
      const groupId = ++ids.group;
      const resolved = random.chance(0.3);
      rows.duplicate_groups.push({
        id: groupId,
        user_id: userId,
        kind,
        primary_photo_id: original.id!,
        resolved_at: resolved ? original.created_at! : null,
        created_at: original.created_at!,
        updated_at: original.created_at!,
      });
      for (const member of members) {
        member.duplicate_group_id = groupId;
        if (resolved && member !== original) member.hidden = 1;
      }
    }
  };
  for (const [i, place] of concertPlaces.entries()) emitEvening(place.id, place.day, place.venue, place.zone, quotas[i]!);
  // Unmatched: evenings the pipeline found no concert for, about 16 photos each.
  const unmatchedUser = heavy ? unmatched : random.chance(0.2) ? random.int(1, 5) : 0;
  for (let left = unmatchedUser; left > 0; ) {
    const count = Math.min(left, random.int(4, 28));
    const venue = random.chance(0.8) ? venueRows[random.int(0, venueRows.length - 1)]! : null;
    const zone = venue ? CITIES.find(([city]) => city === venue.city)![4] : 'Europe/Berlin';
    emitEvening(null, sqlDate(shape.firstDay + random.next() * (LAST_DAY - shape.firstDay)), venue, zone, count);
    left -= count;
  }
  return rows;
}

function hashColumns(hash: bigint) {
  return { perceptual_hash: hash.toString() };
}

function photoRow(
  userId: number,
  concertId: number | null,
  venue: Row | null,
  zone: string,
  at: number,
  hash: bigint,
  random: Random,
  ids: IdCounters,
): Row {
  const id = ++ids.photo;
  const failed = random.chance(0.005);
  const contentHash = random.hex(64);
  const portrait = random.chance(0.25);
  const starred = !failed && random.chance(0.03);
  const [make, model] = random.pick(CAMERAS);
  const imported = Math.min(at + random.int(1, 30) * 86_400_000, Date.UTC(2026, 10, 20));
  const dated = random.chance(0.99);
  const located = venue !== null && random.chance(0.9);
  return {
    id,
    user_id: userId,
    source_id: userId,
    source_file_id: `DCIM/${sqlDate(at)}/IMG_${id}.JPG`,
    file_name: `IMG_${id}.JPG`,
    mime_type: 'image/jpeg',
    byte_size: random.int(1_500_000, 6_000_000),
    width: portrait ? 3000 : 4000,
    height: portrait ? 4000 : 3000,
    content_hash: failed ? null : contentHash,
    content_hash_kind: failed ? null : 'sha256',
    ...(failed ? { perceptual_hash: null } : hashColumns(hash)),
    taken_at: dated ? sqlInstant(at) : null,
    time_zone: zone,
    latitude: located ? (venue.latitude as number) + (random.next() - 0.5) * 0.001 : null,
    longitude: located ? (venue.longitude as number) + (random.next() - 0.5) * 0.001 : null,
    camera_make: make,
    camera_model: model,
    orientation: portrait ? 6 : 1,
    status: failed ? 'failed' : 'ready',
    failure_reason: failed ? 'The file is truncated' : null,
    starred: starred ? 1 : 0,
    hidden: 0,
    thumbnail_key: failed ? null : `users/${userId}/thumbnails/${contentHash}.webp`,
    variants_key: starred && random.chance(0.9) ? `users/${userId}/variants/${contentHash}/` : null,
    blur_placeholder: failed ? null : random.hex(24),
    duplicate_group_id: null,
    concert_id: concertId,
    created_at: sqlInstant(imported),
    updated_at: sqlInstant(imported),
  };
}
