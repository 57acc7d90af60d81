import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eveningOf } from '../../server/matching/evening.js';
import { readPhotoMetadata } from '../../server/media/exif.js';
import { distanceMeters } from '../../shared/geo.js';
import { minutesIntoEvening } from '../../shared/festival.schema.js';
import { generateDemoLibrary, resolveDemoLibraryOptions } from './generate.js';
import type { DemoFestival, DemoFestivalAct, DemoLibraryManifest } from './manifest.js';
import { planLibrary } from './plan.js';

const WITH_FESTIVAL = { concerts: 1, photosPerConcert: 4, festival: true } as const;

/** Minutes after the day's midnight of a photo's local wall time ("2023-07-23T00:12:00" on day 2023-07-22 is 24 h 12 min). */
function minutesIntoDay(localDate: string, localTime: string): number {
  return (Date.parse(`${localTime}Z`) - Date.parse(`${localDate}T00:00:00Z`)) / 60_000;
}

function actsOf(festival: DemoFestival): { localDate: string; act: DemoFestivalAct }[] {
  return festival.days.flatMap((day) => day.acts.map((act) => ({ localDate: day.localDate, act })));
}

describe('the demo festival', () => {
  let dir: string;
  let manifest: DemoLibraryManifest;
  let festival: DemoFestival;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-festival-'));
    manifest = await generateDemoLibrary(dir, WITH_FESTIVAL);
    festival = manifest.festivals[0]!;
  }, 180_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is in the full demo and in a library that asks for it, and nowhere else', () => {
    expect(resolveDemoLibraryOptions().festival).toBe(true);
    expect(resolveDemoLibraryOptions({ size: '12mp' }).festival).toBe(true);
    expect(resolveDemoLibraryOptions({ concerts: 3, photosPerConcert: 6 }).festival).toBe(false);
    expect(resolveDemoLibraryOptions({ photosPerConcert: 6 }).festival).toBe(false);
    expect(resolveDemoLibraryOptions({ concerts: 2, festival: true }).festival).toBe(true);
    expect(resolveDemoLibraryOptions({ festival: false }).festival).toBe(false);
    expect(manifest.festivals).toHaveLength(1);
    expect(manifest.options.festival).toBe(true);
  });

  it('leaves a library without it exactly as it was: the same shots, copies and broken files', () => {
    const options = { ...resolveDemoLibraryOptions({ concerts: 3, photosPerConcert: 6 }) };
    const without = planLibrary(options);
    const withIt = planLibrary({ ...options, festival: true });
    expect(without.festivals).toEqual([]);
    expect(without.shots.every((shot) => shot.photo.festivalId === null)).toBe(true);
    expect(withIt.shots.filter((shot) => shot.photo.festivalId === null)).toEqual(without.shots);
    expect(withIt.copies).toEqual(without.copies);
    expect(withIt.fixedFiles).toEqual(without.fixedFiles);
    expect(withIt.concerts).toEqual(without.concerts);
  });

  it('is planned the same on every run', () => {
    const options = resolveDemoLibraryOptions(WITH_FESTIVAL);
    expect(planLibrary(options)).toEqual(planLibrary(options));
  });

  it('takes place at Flevopark on a Friday and the Saturday after, in July 2023, on two stages about 250 m apart', () => {
    expect(festival.site).toMatchObject({ name: 'Flevopark', city: 'Amsterdam', countryCode: 'NL', timeZone: 'Europe/Amsterdam' });
    expect(festival.days.map((day) => day.localDate)).toEqual(['2023-07-21', '2023-07-22']);
    expect(festival.days.map((day) => new Date(`${day.localDate}T12:00:00Z`).getUTCDay())).toEqual([5, 6]);
    const showDates = new Set(manifest.concerts.map((concert) => concert.localDate));
    for (const day of festival.days) expect(showDates.has(day.localDate)).toBe(false);
    expect(festival.stages.map((stage) => stage.name)).toEqual(['Main Stage', 'Meadow Stage']);
    const [main, meadow] = festival.stages as [DemoFestival['stages'][0], DemoFestival['stages'][0]];
    expect(distanceMeters(main, meadow)).toBeGreaterThan(200);
    expect(distanceMeters(main, meadow)).toBeLessThan(300);
    for (const stage of festival.stages) expect(distanceMeters(stage, festival.site)).toBeLessThan(300);
  });

  it('has three acts on the main stage and two on the meadow stage each day, each with a set of 45–90 minutes and 6–14 songs', () => {
    for (const day of festival.days) {
      expect(day.acts.filter((act) => act.stage === 'Main Stage')).toHaveLength(3);
      expect(day.acts.filter((act) => act.stage === 'Meadow Stage')).toHaveLength(2);
      const starts = day.acts.map((act) => minutesIntoEvening(act.setStart));
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      for (const act of day.acts) {
        const length = minutesIntoEvening(act.setEnd) - minutesIntoEvening(act.setStart);
        expect(length, act.artist).toBeGreaterThanOrEqual(45);
        expect(length, act.artist).toBeLessThanOrEqual(90);
        const songs = act.setlist.flatMap((set) => set.songs);
        expect(songs.length, act.artist).toBeGreaterThanOrEqual(6);
        expect(songs.length, act.artist).toBeLessThanOrEqual(14);
      }
    }
    const artists = actsOf(festival).map(({ act }) => act.artist);
    expect(new Set(artists).size).toBe(10);
    const showArtists = new Set(manifest.concerts.flatMap((concert) => [concert.artist, ...concert.supportingActs.map((act) => act.name)]));
    expect(artists.filter((artist) => showArtists.has(artist))).toEqual([]);
  });

  it('photographs one act a stage on Friday, and two on the main stage and one on the meadow stage on Saturday', () => {
    const seen = festival.days.map((day) => day.acts.filter((act) => act.files.length > 0).map((act) => act.stage));
    expect(seen).toEqual([
      ['Main Stage', 'Meadow Stage'],
      ['Main Stage', 'Meadow Stage', 'Main Stage'],
    ]);
    for (const day of festival.days) {
      const sets = day.acts
        .filter((act) => act.files.length > 0)
        .map((act) => [minutesIntoEvening(act.setStart), minutesIntoEvening(act.setEnd)] as const);
      for (let i = 1; i < sets.length; i++) expect(sets[i]![0] - sets[i - 1]![1]).toBeGreaterThanOrEqual(30);
    }
  });

  it('takes every photo of an act during its set, on its day by the evening rule, and says which act it shows', () => {
    const photoOf = new Map(manifest.photos.map((photo) => [photo.path, photo]));
    const festivalPhotos = manifest.photos.filter((photo) => photo.festivalId !== null);
    expect(festivalPhotos.length).toBeGreaterThanOrEqual(5 * 6);
    expect(festivalPhotos.every((photo) => photo.festivalId === festival.id)).toBe(true);
    const listed = actsOf(festival).flatMap(({ act }) => act.files);
    expect([...listed].sort()).toEqual(festivalPhotos.map((photo) => photo.path).sort());
    for (const { localDate, act } of actsOf(festival)) {
      for (const path of act.files) {
        const photo = photoOf.get(path)!;
        expect(photo.concertId, path).toBe(act.id);
        expect(photo.cameraModel, path).toBe(festival.camera.model);
        expect(eveningOf(new Date(photo.takenAt), festival.site.timeZone), path).toBe(localDate);
        const minute = minutesIntoDay(localDate, photo.localTime);
        expect(minute, path).toBeGreaterThanOrEqual(minutesIntoEvening(act.setStart));
        expect(minute, path).toBeLessThan(minutesIntoEvening(act.setEnd));
      }
    }
  });

  it("has the Saturday headliner's last photos at 00:05–00:40, still Saturday's", () => {
    const late = manifest.specialFiles.filter((file) => file.kind === 'after-midnight');
    const headliner = festival.days[1]!.acts.at(-1)!;
    expect(headliner.setEnd < headliner.setStart).toBe(true);
    expect(late.length).toBeGreaterThanOrEqual(2);
    for (const file of late) {
      expect(file.concertId).toBe(headliner.id);
      expect(headliner.files).toContain(file.path);
      expect(file.localTime).toMatch(/^2023-07-23T00:(0[5-9]|[1-3]\d):/);
    }
    expect(headliner.files.length).toBeGreaterThan(late.length);
  });

  it('puts each photo with GPS within about 50 m of the stage its act played, far from the other, near the site', () => {
    const photoOf = new Map(manifest.photos.map((photo) => [photo.path, photo]));
    let withoutGps = 0;
    for (const { act } of actsOf(festival)) {
      const stage = festival.stages.find((s) => s.name === act.stage)!;
      const other = festival.stages.find((s) => s.name !== act.stage)!;
      for (const path of act.files) {
        const photo = photoOf.get(path)!;
        if (photo.latitude === null || photo.longitude === null) {
          withoutGps += 1;
          continue;
        }
        const at = { latitude: photo.latitude, longitude: photo.longitude };
        expect(distanceMeters(at, stage), path).toBeLessThan(52);
        expect(distanceMeters(at, other), path).toBeGreaterThan(150);
        expect(distanceMeters(at, festival.site), path).toBeLessThan(200);
      }
    }
    expect(withoutGps).toBeGreaterThan(0);
    expect(withoutGps).toBe(manifest.specialFiles.filter((file) => file.kind === 'no-gps' && photoOf.get(file.path)?.festivalId).length);
  });

  it('writes EXIF that reads back as the manifest says: time, zone and position', async () => {
    for (const photo of manifest.photos.filter((p) => p.festivalId !== null)) {
      const metadata = await readPhotoMetadata(await readFile(join(dir, photo.path)));
      expect(metadata.takenAt?.toISOString(), photo.path).toBe(photo.takenAt);
      expect(metadata.cameraModel, photo.path).toBe(photo.cameraModel);
      if (photo.latitude !== null) {
        expect(metadata.latitude, photo.path).toBeCloseTo(photo.latitude, 6);
        expect(metadata.timeZone, photo.path).toBe('Europe/Amsterdam');
      }
    }
  });

  it('files the photos in a folder per festival day', () => {
    for (const { localDate, act } of actsOf(festival)) {
      for (const path of act.files) expect(path.startsWith(`2023/${localDate} ${festival.name}/`), path).toBe(true);
    }
  });
});
