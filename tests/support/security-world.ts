/**
 * A user with real things of every owned kind (two of each, so that procedures
 * naming two things of one kind get two different ones), and a snapshot of
 * everything a user owns, to prove that refused calls changed nothing.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import {
  artists,
  concerts,
  duplicateGroups,
  festivalActs,
  festivals,
  historyExports,
  photos,
  processedFiles,
  scans,
  sources,
  uploads,
  users,
  venues,
} from '../../drizzle/schema/index.js';
import type { OwnedKind, SharedKind } from './security-procedures.js';
import type { RunningApp } from './test-app.js';
import { uniqueEmail } from './test-env.js';
import { trpcHttpClient } from './trpc-http-client.js';

export const PASSWORD = 'correct horse battery staple';

export type User = Awaited<ReturnType<typeof signUp>>;

export async function signUp(app: RunningApp, label: string, headers: Record<string, string> = {}) {
  const { client, jar } = trpcHttpClient(app.url, undefined, headers);
  const email = uniqueEmail(label);
  const user = await client.auth.signup.mutate({ email, password: PASSWORD, name: label });
  return { client, jar, email, user };
}

export type Owned = Record<OwnedKind, number[]>;

let counter = 0;

/**
 * Two libraries (folders in the owner's import folder under `importRoot`), two finished scans, four photos (two
 * of them a duplicate group, one failed in the first scan, one unmatched with a
 * date and a place), two concerts made through the API and a history export.
 */
export async function buildOwned(app: RunningApp, owner: User, importRoot: string): Promise<Owned> {
  const db = app.database.db;
  const userId = owner.user.id;
  const sourceIds: number[] = [];
  for (let i = 0; i < 2; i++) {
    counter += 1;
    // In the owner's own import folder (<root>/<user id>), which is all they may import from without LOCAL_IMPORT_SHARED.
    const folder = join(importRoot, String(userId), `library-${process.pid}-${counter}`);
    await mkdir(folder, { recursive: true });
    sourceIds.push((await owner.client.sources.addLocalFolder.mutate({ path: folder })).id);
  }
  const scanIds: number[] = [];
  for (const sourceId of sourceIds) {
    const now = new Date();
    const [scan] = await db.insert(scans).values({
      userId,
      sourceId,
      status: 'completed',
      listed: 3,
      processed: 2,
      failed: 1,
      startedAt: now,
      finishedAt: now,
    });
    scanIds.push(scan.insertId);
  }
  const photoIds: number[] = [];
  const place = { latitude: 52.3622, longitude: 4.884, timeZone: 'Europe/Amsterdam' };
  const fixtures: Array<Partial<typeof photos.$inferInsert>> = [
    { contentHash: 'a'.repeat(64), ...place },
    { contentHash: 'a'.repeat(64), ...place },
    { status: 'failed', failureReason: 'The file is empty', width: null, height: null },
    { ...place },
  ];
  for (const [i, fixture] of fixtures.entries()) {
    const [row] = await db.insert(photos).values({
      userId,
      sourceId: sourceIds[0]!,
      scanId: scanIds[0]!,
      sourceFileId: `IMG_${i}.JPG`,
      fileName: `IMG_${i}.JPG`,
      status: 'ready',
      width: 4000,
      height: 3000,
      takenAt: new Date(Date.UTC(2019, 6, 5, 19, 30, i)),
      ...fixture,
    });
    photoIds.push(row.insertId);
  }
  const groupIds: number[] = [];
  for (const members of [[photoIds[0]!, photoIds[1]!], [photoIds[3]!]]) {
    const [group] = await db.insert(duplicateGroups).values({ userId, kind: 'exact', primaryPhotoId: members[0]! });
    groupIds.push(group.insertId);
    await db.update(photos).set({ duplicateGroupId: group.insertId }).where(inArray(photos.id, members));
  }
  const concertIds = [
    (await owner.client.concerts.create.mutate({ date: '2019-07-05', artist: { artistName: `Owner band ${userId}` }, photoIds: [photoIds[1]!] })).id,
    (await owner.client.concerts.create.mutate({ date: '2018-03-02', artist: { artistName: `Owner band ${userId}` } })).id,
  ];
  // Names the owner typed: their own artists and venues, which nobody else may name by id.
  const artistIds: number[] = [];
  const venueIds: number[] = [];
  for (let i = 0; i < 2; i++) {
    const [artist] = await db.insert(artists).values({ name: `Own artist ${userId}-${i}`, source: 'user', userId });
    artistIds.push(artist.insertId);
    const [venue] = await db
      .insert(venues)
      .values({ name: `Own venue ${userId}-${i}`, source: 'user', userId, latitude: place.latitude, longitude: place.longitude });
    venueIds.push(venue.insertId);
  }
  const exportIds: number[] = [];
  for (const format of ['csv', 'json'] as const) {
    const [row] = await db.insert(historyExports).values({ userId, format, status: 'failed', error: 'Built in a test' });
    exportIds.push(row.insertId);
  }
  // A festival with two acts, one seen (the second concert), and photo 3 waiting for an act; the first concert stays a show of its own.
  const [festival] = await db.insert(festivals).values({
    userId,
    name: `Own festival ${userId}`,
    siteKey: 'flevopark',
    siteName: 'Flevopark',
    firstDate: '2019-07-05',
    lastDate: '2019-07-05',
    source: 'user',
  });
  const festivalActIds: number[] = [];
  for (const [position, artistId] of artistIds.entries()) {
    const [act] = await db.insert(festivalActs).values({
      userId,
      festivalId: festival.insertId,
      dayDate: '2019-07-05',
      artistId,
      position,
      concertId: position === 0 ? concertIds[1]! : null,
    });
    festivalActIds.push(act.insertId);
  }
  await db.update(concerts).set({ festivalId: festival.insertId }).where(eq(concerts.id, concertIds[1]!));
  await db.update(photos).set({ festivalId: festival.insertId }).where(eq(photos.id, photoIds[3]!));
  return {
    festival: [festival.insertId],
    festivalAct: festivalActIds,
    source: sourceIds,
    scan: scanIds,
    photo: photoIds,
    concert: concertIds,
    duplicateGroup: groupIds,
    export: exportIds,
    artist: artistIds,
    venue: venueIds,
  };
}

/** Ids of things no user owns, for the id fields that name them. */
export async function sharedFacts(_app: RunningApp): Promise<Record<SharedKind, number | string>> {
  return { setlist: '63de4613' };
}

/** Every row a user owns (and the account itself) and every stored object under their prefix. */
export async function snapshotOf(app: RunningApp, userId: number) {
  const db = app.database.db;
  const storageKeys: string[] = [];
  for await (const page of app.services.storage.list(`users/${userId}/`)) storageKeys.push(...page.map((object) => object.key));
  return {
    user: await db.select().from(users).where(eq(users.id, userId)),
    sources: await db.select().from(sources).where(eq(sources.userId, userId)).orderBy(sources.id),
    scans: await db.select().from(scans).where(eq(scans.userId, userId)).orderBy(scans.id),
    photos: await db.select().from(photos).where(eq(photos.userId, userId)).orderBy(photos.id),
    concerts: await db.select().from(concerts).where(eq(concerts.userId, userId)).orderBy(concerts.id),
    duplicateGroups: await db.select().from(duplicateGroups).where(eq(duplicateGroups.userId, userId)).orderBy(duplicateGroups.id),
    exports: await db.select().from(historyExports).where(eq(historyExports.userId, userId)).orderBy(historyExports.id),
    uploads: await db.select().from(uploads).where(eq(uploads.userId, userId)).orderBy(uploads.id),
    processedFiles: await db.select().from(processedFiles).where(eq(processedFiles.userId, userId)),
    artists: await db.select().from(artists).where(eq(artists.userId, userId)).orderBy(artists.id),
    venues: await db.select().from(venues).where(eq(venues.userId, userId)).orderBy(venues.id),
    festivals: await db.select().from(festivals).where(eq(festivals.userId, userId)).orderBy(festivals.id),
    festivalActs: await db.select().from(festivalActs).where(eq(festivalActs.userId, userId)).orderBy(festivalActs.id),
    storageKeys: storageKeys.sort(),
  };
}
