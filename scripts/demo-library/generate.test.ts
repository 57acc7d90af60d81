import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPhotoMetadata } from '../../server/media/exif.js';
import { analyzeImage } from '../../server/media/image-analysis.js';
import { InvalidPhotoError } from '../../server/media/photo-errors.js';
import { ensureDemoLibrary, generateDemoLibrary } from './generate.js';
import type { DemoLibraryManifest, DemoPhoto } from './manifest.js';

const SMALL = { concerts: 3, photosPerConcert: 6 } as const;

/** sha256 of every file under `dir`, by relative path. */
async function hashTree(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    hashes[relative(dir, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return hashes;
}

/** What readPhotoMetadata must find: the true instant when the zone is knowable, else the wall time as UTC. */
function expectedTakenAt(photo: DemoPhoto): string {
  if (photo.utcOffset || photo.latitude !== null) return photo.takenAt;
  const millis = (photo.subSeconds ?? '').padEnd(3, '0').slice(0, 3);
  return `${photo.localTime}.${millis}Z`;
}

describe('generateDemoLibrary', () => {
  let first: string;
  let second: string;
  let manifest: DemoLibraryManifest;

  beforeAll(async () => {
    first = await mkdtemp(join(tmpdir(), 'demo-library-'));
    second = await mkdtemp(join(tmpdir(), 'demo-library-'));
    manifest = await generateDemoLibrary(first, SMALL);
    await generateDemoLibrary(second, SMALL);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([first, second].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes the same bytes on every run', async () => {
    const [a, b] = await Promise.all([hashTree(first), hashTree(second)]);
    expect(Object.keys(a).length).toBeGreaterThan(25);
    expect(b).toEqual(a);
  });

  it('lists every file it wrote with its hash, and nothing else', async () => {
    const tree = await hashTree(first);
    const { 'manifest.json': _manifest, ...files } = tree;
    expect(Object.fromEntries(manifest.files.map((file) => [file.path, file.sha256]))).toEqual(files);
  });

  it('files the photos in nested folders by year and show', () => {
    const inShowFolder = /^\d{4}\/\d{4}-\d{2}-\d{2} [^/]+\/[^/]+\.(JPG|jpg)$/;
    for (const concert of manifest.concerts) {
      for (const path of concert.files.filter((file) => !file.startsWith('Exports/') && !file.startsWith('Shared/'))) {
        expect(path).toMatch(inShowFolder);
        expect(path.startsWith(`${concert.localDate.slice(0, 4)}/${concert.localDate} ${concert.venue.name}/`)).toBe(true);
      }
    }
  });

  it('describes each concert completely: artist, tour, support, venue, zone and a setlist of 10–18 songs', () => {
    expect(manifest.concerts).toHaveLength(3);
    for (const concert of manifest.concerts) {
      expect(concert.artist).not.toBe('');
      expect(concert.tour).not.toBe('');
      expect(concert.supportingActs.length).toBeGreaterThan(0);
      expect(concert.venue).toMatchObject({ name: expect.any(String), city: expect.any(String), countryCode: expect.stringMatching(/^[A-Z]{2}$/) });
      expect(Math.abs(concert.venue.latitude)).toBeLessThanOrEqual(90);
      const songs = concert.setlist.flatMap((set) => set.songs).filter((song) => !song.tape);
      expect(songs.length).toBeGreaterThanOrEqual(10);
      expect(songs.length).toBeLessThanOrEqual(18);
      expect(concert.files.length).toBeGreaterThanOrEqual(SMALL.photosPerConcert);
    }
  });

  it('writes EXIF that reads back as the manifest says: time, zone and position', async () => {
    for (const photo of manifest.photos) {
      const venue = manifest.concerts.find((concert) => concert.id === photo.concertId)?.venue;
      const metadata = await readPhotoMetadata(await readFile(join(first, photo.path)));
      expect(metadata.takenAt?.toISOString(), photo.path).toBe(expectedTakenAt(photo));
      expect(metadata.cameraModel, photo.path).toBe(photo.cameraModel);
      expect(metadata.orientation, photo.path).toBe(photo.orientation);
      if (photo.latitude === null) {
        expect(metadata.latitude, photo.path).toBeNull();
      } else {
        expect(metadata.latitude, photo.path).toBeCloseTo(photo.latitude, 6);
        expect(metadata.longitude, photo.path).toBeCloseTo(photo.longitude ?? NaN, 6);
        expect(metadata.timeZone, photo.path).toBe(venue?.timeZone);
      }
    }
  });

  it('puts every photo within about 50 m of its venue', () => {
    for (const photo of manifest.photos.filter((p) => p.latitude !== null)) {
      const venue = manifest.concerts.find((concert) => concert.id === photo.concertId)!.venue;
      const metresNorth = ((photo.latitude ?? 0) - venue.latitude) * 111_320;
      const metresEast = ((photo.longitude ?? 0) - venue.longitude) * 111_320 * Math.cos((venue.latitude * Math.PI) / 180);
      expect(Math.hypot(metresNorth, metresEast)).toBeLessThan(52);
    }
  });

  it('includes photos taken after midnight that belong to the previous evening', () => {
    const late = manifest.specialFiles.filter((file) => file.kind === 'after-midnight');
    expect(late.length).toBeGreaterThan(0);
    for (const file of late) {
      const concert = manifest.concerts.find((c) => c.id === file.concertId)!;
      expect(concert.files).toContain(file.path);
      const nextDay = new Date(Date.parse(`${concert.localDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expect(file.localTime).toMatch(new RegExp(`^${nextDay}T00:[1-4]\\d:`));
    }
  });

  it('includes bursts a second apart, exact and near duplicates, and photos without GPS', () => {
    const kinds = new Set(manifest.specialFiles.map((file) => file.kind));
    expect([...kinds].sort()).toEqual(['after-midnight', 'broken', 'burst', 'exact-duplicate', 'near-duplicate', 'no-gps']);
    const takenAt = new Map(manifest.photos.map((photo) => [photo.path, Date.parse(photo.takenAt)]));
    for (const file of manifest.specialFiles) {
      if (file.kind === 'burst') expect(takenAt.get(file.path)! - takenAt.get(file.burstOf)!).toBe(file.frame * 1000);
    }
  });

  it('makes exact duplicates byte copies under another name', () => {
    const sha = new Map(manifest.files.map((file) => [file.path, file.sha256]));
    for (const file of manifest.specialFiles) {
      if (file.kind === 'exact-duplicate') {
        expect(file.path).not.toBe(file.duplicateOf);
        expect(sha.get(file.path)).toBe(sha.get(file.duplicateOf));
      }
    }
  });

  it('writes broken files that image analysis refuses', async () => {
    const broken = manifest.specialFiles.filter((file) => file.kind === 'broken');
    expect(broken.map((file) => file.problem).sort()).toEqual(['empty', 'not-an-image', 'truncated']);
    for (const file of broken) {
      await expect(analyzeImage(await readFile(join(first, file.path))), file.path).rejects.toBeInstanceOf(InvalidPhotoError);
    }
  });
});

describe('ensureDemoLibrary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-library-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates once, then reuses the library while the generator and options are the same', async () => {
    const options = { concerts: 1, photosPerConcert: 4 };
    expect((await ensureDemoLibrary(join(dir, 'library'), options)).generated).toBe(true);
    expect((await ensureDemoLibrary(join(dir, 'library'), options)).generated).toBe(false);
    expect((await ensureDemoLibrary(join(dir, 'library'), { ...options, photosPerConcert: 5 })).generated).toBe(true);
  }, 60_000);

  it('refuses to overwrite a folder that is not a demo library', async () => {
    const foreign = join(dir, 'my-photos');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'mine');
    await expect(generateDemoLibrary(foreign, { concerts: 1, photosPerConcert: 4 })).rejects.toThrow(/refusing to overwrite/);
    expect(await readFile(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
