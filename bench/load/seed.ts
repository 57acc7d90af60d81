/**
 * Seeds the load benchmark's own database with a realistic history, quickly: shared
 * artists and venues, then users with 100–300 concerts each (setlists, tours,
 * supporting acts, some notes) and their photos (thumbnail keys, placeholders,
 * EXIF facts), in multi-row INSERTs. Returns what the traffic needs to address:
 * each user's concerts (newest first) and a few photos whose variants exist.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import { artists, concerts, photos, sources, users, venues } from '../../drizzle/schema/index.js';
import type { SetlistSet, SupportingAct } from '../../shared/concert.schema.js';
import { argon2PasswordHasher } from '../../server/services/password-hasher.js';
import { storageKeys } from '../../server/storage/storage-keys.js';
import { VARIANT_WIDTHS } from '../../server/media/variants.js';
import { createRandom, type Random } from './random.js';

export interface SeedOptions {
  databaseUrl: string;
  /** Local storage root of the app (DATA_DIR/objects): where the star targets' variants are written. */
  storageRoot: string;
  users: number;
  password: string;
  /** Photos a user may star or unstar during the load; their variants exist, as after a first star. */
  starTargetsPerUser: number;
}

export interface SeededUser {
  id: number;
  email: string;
  /** Newest first, as the timeline shows them. */
  concerts: Array<{ id: number; date: string; year: number }>;
  starTargets: number[];
}

export interface SeedResult {
  users: SeededUser[];
  counts: { users: number; concerts: number; photos: number; artists: number; venues: number; setlists: number };
  seconds: number;
}

const ARTISTS = 2_000;
const VENUES = 600;
const BATCH = 1_000;
const CITIES: Array<[string, string, number, number]> = [
  ['Berlin', 'DE', 52.52, 13.405],
  ['London', 'GB', 51.507, -0.128],
  ['Paris', 'FR', 48.857, 2.352],
  ['Amsterdam', 'NL', 52.37, 4.895],
  ['New York', 'US', 40.713, -74.006],
  ['Chicago', 'US', 41.878, -87.63],
  ['Los Angeles', 'US', 34.052, -118.244],
  ['Toronto', 'CA', 43.653, -79.383],
  ['Madrid', 'ES', 40.417, -3.704],
  ['Milan', 'IT', 45.464, 9.19],
  ['Stockholm', 'SE', 59.329, 18.069],
  ['Vienna', 'AT', 48.208, 16.373],
  ['Melbourne', 'AU', -37.814, 144.963],
  ['Tokyo', 'JP', 35.676, 139.65],
  ['Hamburg', 'DE', 53.551, 9.994],
  ['Manchester', 'GB', 53.48, -2.242],
];
const WORDS = [
  'Black',
  'Silver',
  'Electric',
  'Midnight',
  'Velvet',
  'Paper',
  'Glass',
  'Northern',
  'Wild',
  'Golden',
  'Hollow',
  'Neon',
  'Quiet',
  'Red',
  'Echo',
  'Iron',
  'Lunar',
  'Static',
  'Crystal',
  'Young',
];
const NOUNS = [
  'Foxes',
  'Tigers',
  'Hearts',
  'Rivers',
  'Machines',
  'Ghosts',
  'Saints',
  'Lights',
  'Waves',
  'Kings',
  'Owls',
  'Horses',
  'Mountains',
  'Engines',
  'Dreams',
];
const HALLS = ['Hall', 'Arena', 'Club', 'Theatre', 'Ballroom', 'Palladium', 'Music Hall', 'Stadium', 'Garden', 'Forum'];
const CAMERAS: Array<[string, string]> = [
  ['Apple', 'iPhone 15 Pro'],
  ['Google', 'Pixel 8'],
  ['SONY', 'ILCE-7M4'],
  ['FUJIFILM', 'X-T5'],
  ['samsung', 'SM-S918B'],
];

export async function seedLoadData(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const random = createRandom(8);
  const connection = await mysql.createConnection({ uri: options.databaseUrl, timezone: 'Z' });
  const db = database(connection);
  try {
    const passwordHash = await argon2PasswordHasher.hash(options.password);
    await insertBatches(
      db,
      artists,
      Array.from({ length: ARTISTS }, (_, i) => ({ name: artistName(random, i) })),
    );
    const artistIds = await idsOf(connection, 'artists');
    const venueRows = Array.from({ length: VENUES }, (_, i) => {
      const [city, countryCode, lat, lon] = CITIES[i % CITIES.length]!;
      return {
        name: `${random.pick(WORDS)} ${random.pick(HALLS)} ${i}`,
        city,
        countryCode,
        latitude: lat + random.float(-0.08, 0.08),
        longitude: lon + random.float(-0.08, 0.08),
      };
    });
    await insertBatches(db, venues, venueRows);
    const venueIds = await idsOf(connection, 'venues');

    await insertBatches(
      db,
      users,
      Array.from({ length: options.users }, (_, i) => ({ email: emailOf(i), name: `Load User ${i}`, passwordHash, timeZone: 'Europe/Berlin' })),
    );
    const userIds = await idsOf(connection, 'users');
    await insertBatches(
      db,
      sources,
      userIds.map((userId) => ({ userId, kind: 'local' as const, label: 'Photos', localPath: `/srv/photos/${userId}` })),
    );
    const sourceOf = new Map(
      (await connection.query<mysql.RowDataPacket[]>('SELECT id, user_id FROM sources'))[0].map((row) => [Number(row.user_id), Number(row.id)]),
    );

    let setlists = 0;
    const concertRows: Array<typeof concerts.$inferInsert> = [];
    for (const userId of userIds) {
      // Each user has a home city and favourite artists, as real histories do.
      const home = random.int(0, CITIES.length - 1);
      const favourites = Array.from({ length: 25 }, () => random.pick(artistIds));
      const count = random.int(100, 300);
      for (let n = 0; n < count; n++) {
        const venueIndex = random.chance(0.8)
          ? home + CITIES.length * random.int(0, Math.floor(VENUES / CITIES.length) - 1)
          : random.int(0, VENUES - 1);
        const venue = venueRows[venueIndex % VENUES]!;
        const withSetlist = random.chance(0.7);
        if (withSetlist) setlists += 1;
        concertRows.push({
          userId,
          artistId: random.chance(0.4) ? random.pick(favourites) : random.pick(artistIds),
          venueId: venueIds[venueIndex % VENUES]!,
          concertDate: randomDate(random),
          city: venue.city,
          countryCode: venue.countryCode,
          tour: random.chance(0.5) ? `${random.pick(WORDS)} ${random.pick(NOUNS)} Tour` : null,
          supportingActs: random.chance(0.5) ? supportingActs(random) : null,
          setlist: withSetlist ? setlist(random) : null,
          setlistfmId: withSetlist ? randomBytes(4).toString('hex') : null,
          setlistfmUrl: withSetlist ? `https://www.setlist.fm/setlist/x/${randomBytes(4).toString('hex')}.html` : null,
          latitude: venue.latitude,
          longitude: venue.longitude,
          timeZone: 'Europe/Berlin',
          venueConfidence: random.float(0.6, 1),
          notes: random.chance(0.15) ? 'Great night; the encore was worth the wait.' : null,
          status: random.chance(0.9) ? 'confirmed' : 'needs_review',
        });
      }
    }
    await insertBatches(db, concerts, concertRows);
    const concertsOf = new Map<number, SeededUser['concerts']>();
    const [concertList] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT id, user_id, DATE_FORMAT(concert_date, '%Y-%m-%d') AS d FROM concerts ORDER BY user_id, concert_date DESC, id DESC",
    );
    for (const row of concertList) {
      const list = concertsOf.get(Number(row.user_id)) ?? [];
      list.push({ id: Number(row.id), date: String(row.d), year: Number(String(row.d).slice(0, 4)) });
      concertsOf.set(Number(row.user_id), list);
    }

    let photoCount = 0;
    let batch: Array<typeof photos.$inferInsert> = [];
    const flush = async () => {
      if (batch.length) await db.insert(photos).values(batch);
      photoCount += batch.length;
      batch = [];
    };
    for (const userId of userIds) {
      let fileNumber = 0;
      const camera = random.pick(CAMERAS);
      const list = concertsOf.get(userId) ?? [];
      // Most concerts have a handful of photos, some many, some none; and ~5 % of the photos match no concert.
      for (const concert of [...list, null]) {
        const count = concert
          ? random.weighted([
              [0, 1],
              [random.int(1, 8), 5],
              [random.int(9, 25), 3],
              [random.int(26, 60), 1],
            ])
          : random.int(5, 30);
        const evening = concert ? Date.parse(`${concert.date}T19:30:00Z`) : Date.parse(randomDate(random));
        for (let p = 0; p < count; p++) {
          const hash = randomBytes(32).toString('hex');
          const portrait = random.chance(0.2);
          batch.push({
            userId,
            sourceId: sourceOf.get(userId)!,
            sourceFileId: `${concert?.date.slice(0, 4) ?? 'misc'}/IMG_${String(++fileNumber).padStart(5, '0')}.jpg`,
            fileName: `IMG_${String(fileNumber).padStart(5, '0')}.jpg`,
            mimeType: 'image/jpeg',
            byteSize: random.int(2_000_000, 6_000_000),
            width: portrait ? 3000 : 4000,
            height: portrait ? 4000 : 3000,
            contentHash: hash,
            contentHashKind: 'sha256',
            takenAt: new Date(evening + random.int(0, 4 * 3600) * 1000),
            timeZone: 'Europe/Berlin',
            cameraMake: camera[0],
            cameraModel: camera[1],
            orientation: 1,
            status: 'ready',
            starred: random.chance(0.04),
            thumbnailKey: storageKeys.thumbnail(userId, hash),
            blurPlaceholder: randomBytes(24).toString('base64'),
            concertId: concert?.id ?? null,
          });
          if (batch.length >= BATCH) await flush();
        }
      }
    }
    await flush();

    const seeded: SeededUser[] = [];
    for (const [index, userId] of userIds.entries()) {
      seeded.push({ id: userId, email: emailOf(index), concerts: concertsOf.get(userId) ?? [], starTargets: [] });
    }
    await prepareStarTargets(connection, seeded, options);

    return {
      users: seeded,
      counts: { users: userIds.length, concerts: concertRows.length, photos: photoCount, artists: ARTISTS, venues: VENUES, setlists },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await connection.end();
  }
}

/**
 * Photos of each user's newest concert that the load stars and unstars. Their
 * variants are on disk and recorded, as after a first star: the worker's job for a
 * star then checks storage and finishes, as it does for a photo starred again.
 */
async function prepareStarTargets(connection: mysql.Connection, seeded: SeededUser[], options: SeedOptions) {
  for (const user of seeded) {
    const newest = user.concerts.slice(0, 5).map((c) => c.id);
    if (!newest.length) continue;
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT id, content_hash FROM photos WHERE user_id = ? AND concert_id IN (?) ORDER BY id LIMIT ?',
      [user.id, newest, options.starTargetsPerUser],
    );
    for (const row of rows) {
      const hash = String(row.content_hash);
      for (const width of VARIANT_WIDTHS) {
        const file = join(options.storageRoot, storageKeys.variant(user.id, hash, width));
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, 'RIFF stand-in variant');
      }
      await connection.query('UPDATE photos SET variants_key = ? WHERE user_id = ? AND id = ?', [
        storageKeys.variantsPrefix(user.id, hash),
        user.id,
        row.id,
      ]);
      user.starTargets.push(Number(row.id));
    }
  }
}

const database = (connection: mysql.Connection) => drizzle({ client: connection });
type Db = ReturnType<typeof database>;

async function insertBatches<T extends typeof artists | typeof venues | typeof users | typeof sources | typeof concerts>(
  db: Db,
  table: T,
  rows: Array<T['$inferInsert']>,
) {
  for (let i = 0; i < rows.length; i += BATCH) await db.insert(table).values(rows.slice(i, i + BATCH));
}

async function idsOf(connection: mysql.Connection, table: 'artists' | 'venues' | 'users'): Promise<number[]> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT id FROM ${table} ORDER BY id`);
  return rows.map((row) => Number(row.id));
}

const emailOf = (index: number) => `load-${index}@example.test`;

function artistName(random: Random, index: number) {
  return random.chance(0.5) ? `The ${random.pick(WORDS)} ${random.pick(NOUNS)} ${index}` : `${random.pick(WORDS)} ${random.pick(NOUNS)} ${index}`;
}

function randomDate(random: Random): string {
  const from = Date.UTC(2000, 0, 1);
  const to = Date.UTC(2026, 9, 31);
  return new Date(from + random.float(0, 1) ** 0.6 * (to - from)).toISOString().slice(0, 10);
}

function supportingActs(random: Random): SupportingAct[] {
  return Array.from({ length: random.int(1, 2) }, () => ({ name: `${random.pick(WORDS)} ${random.pick(NOUNS)}` }));
}

function setlist(random: Random): SetlistSet[] {
  const song = () => ({ name: `${random.pick(WORDS)} ${random.pick(NOUNS)}`, ...(random.chance(0.05) ? { coverOf: 'Someone Else' } : {}) });
  return [{ songs: Array.from({ length: random.int(12, 20) }, song) }, { encore: 1, songs: Array.from({ length: random.int(1, 4) }, song) }];
}
