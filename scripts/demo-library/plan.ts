/**
 * Decides every file of the demo library before any pixel is drawn: which show,
 * which moment, which scene, which EXIF, which copies and broken files. Pure and
 * seeded, so the plan (and with it the bytes) is the same on every run.
 */
import { zonedWallTimeToInstant, zoneOffsetAt, type WallTime } from '../../server/media/zoned-time.js';
import type { PhotoExif } from './photo-exif.js';
import { FESTIVAL, generateFestivalSetlist, generateSetlist, SHOWS, type FestivalPlan, type ShowPlan } from './lineup.js';
import type { DemoCamera, DemoConcert, DemoFestival, DemoFestivalAct, DemoFestivalDay, DemoPhoto, DemoSpecialFile } from './manifest.js';
import { createRandom, type Random } from './random.js';
import { randomStageLook, randomStageScene, type StageScene } from './stage-scene.js';

export interface PlanOptions {
  seed: number;
  concerts: number;
  photosPerConcert: number;
  festival: boolean;
  width: number;
  height: number;
}

/** A photo straight from the camera. */
export interface ShotTask {
  type: 'shot';
  path: string;
  scene: StageScene;
  /** 0 for a single shot or a burst's first frame. */
  burstFrame: number;
  portrait: boolean;
  exif: PhotoExif;
  photo: Omit<DemoPhoto, 'width' | 'height'>;
}

/** A file made from another one after it exists. */
export interface CopyTask {
  type: 'exact-duplicate' | 'resized' | 'recompressed' | 'cropped' | 'truncated';
  path: string;
  source: string;
}

export interface FixedFileTask {
  type: 'empty' | 'not-an-image';
  path: string;
}

/** A festival as the manifest describes it, before its acts' files are known. */
export type PlannedFestival = Omit<DemoFestival, 'days'> & {
  days: (Omit<DemoFestivalDay, 'acts'> & { acts: Omit<DemoFestivalAct, 'files'>[] })[];
};

export interface LibraryPlan {
  concerts: Omit<DemoConcert, 'files'>[];
  festivals: PlannedFestival[];
  shots: ShotTask[];
  copies: CopyTask[];
  fixedFiles: FixedFileTask[];
  specialFiles: DemoSpecialFile[];
}

const MINUTE = 60;
/** Shots of one show are at least this far apart, so only real bursts fall in the burst window. */
const MIN_SECONDS_BETWEEN_SHOTS = 45;
const GPS_JITTER_METRES = 50;
const METRES_PER_DEGREE = 111_320;
/** Distinct shots of each festival act the fan photographed. */
const FESTIVAL_SHOTS_PER_ACT = 8;
/** Of those, taken after midnight when the set runs past it. */
const FESTIVAL_SHOTS_AFTER_MIDNIGHT = 3;

export function planLibrary(options: PlanOptions): LibraryPlan {
  if (options.concerts < 1 || options.concerts > SHOWS.length) throw new RangeError(`concerts must be from 1 to ${SHOWS.length}`);
  if (options.photosPerConcert < 4) throw new RangeError('photosPerConcert must be at least 4');
  const root = createRandom(options.seed);
  const plan: LibraryPlan = { concerts: [], festivals: [], shots: [], copies: [], fixedFiles: [], specialFiles: [] };
  const shows = SHOWS.slice(0, options.concerts);
  for (const [index, show] of shows.entries()) planShow(plan, show, index, root.fork(`show:${index}`), options);
  planBrokenFiles(plan, root.fork('broken'));
  // After the shows and broken files, from its own fork: a library without it is the same as before it existed.
  if (options.festival) planFestival(plan, FESTIVAL, root.fork('festival'));
  return plan;
}

function planShow(plan: LibraryPlan, show: ShowPlan, index: number, rng: Random, options: PlanOptions): void {
  const concertId = `${show.localDate}-${show.venue.key}`;
  plan.concerts.push({
    id: concertId,
    artist: show.artist,
    supportingActs: show.supportingActs.map((name) => ({ name })),
    tour: show.tour,
    venue: show.venue,
    localDate: show.localDate,
    headlinerStart: show.headlinerStart,
    setlist: generateSetlist(rng.fork('setlist')),
    camera: show.camera,
  });

  const folder = `${show.localDate.slice(0, 4)}/${show.localDate} ${show.venue.name}`;
  const supportLook = randomStageLook(rng.int(1, 2 ** 31));
  const headlinerLook = randomStageLook(rng.int(1, 2 ** 31));
  const moments = shotMoments(show, options.photosPerConcert, rng.fork('moments'));
  const burstStarts = pickDistinct(
    rng,
    moments.length,
    options.photosPerConcert >= 20 ? 2 : 1,
    (i) => !moments[i]!.support && !moments[i]!.afterMidnight,
  );
  const withoutGps = new Set(pickDistinct(rng, moments.length, Math.max(1, Math.round(moments.length / 10)), (i) => !burstStarts.includes(i)));
  let fileNumber = rng.int(1000, 8000);
  const shots: ShotTask[] = [];

  moments.forEach((moment, i) => {
    const look = moment.support ? supportLook : headlinerLook;
    const scene = randomStageScene(rng.int(1, 2 ** 31), look);
    const portrait = rng.chance(0.15);
    const subSeconds = show.camera.subSecondDigits
      ? String(rng.int(0, 10 ** show.camera.subSecondDigits - 1)).padStart(show.camera.subSecondDigits, '0')
      : null;
    const position = withoutGps.has(i) ? null : jitter(show.venue.latitude, show.venue.longitude, rng);
    const frames = burstStarts.includes(i) ? rng.int(3, 5) : 1;
    fileNumber += rng.chance(0.2) ? rng.int(2, 4) : 1;
    for (let frame = 0; frame < frames; frame++) {
      const seconds = moment.seconds + frame;
      const shot = shotTask({
        ...shotContext(show),
        concertId,
        festivalId: null,
        folder,
        seconds,
        subSeconds,
        position,
        portrait,
        scene,
        frame,
        fileNumber: fileNumber + frame,
      });
      shots.push(shot);
      if (frame > 0) plan.specialFiles.push({ kind: 'burst', path: shot.path, burstOf: shots[shots.length - 1 - frame]!.path, frame });
      if (!position) plan.specialFiles.push({ kind: 'no-gps', path: shot.path });
      if (moment.afterMidnight) plan.specialFiles.push({ kind: 'after-midnight', path: shot.path, concertId, localTime: shot.photo.localTime });
    }
    fileNumber += frames - 1;
  });
  plan.shots.push(...shots);

  const singles = shots.filter((shot) => shot.burstFrame === 0);
  const nearSource = rng.pick(singles);
  const variant = (['resized', 'recompressed', 'cropped'] as const)[index % 3]!;
  const nearPath =
    variant === 'cropped'
      ? `${folder}/${stem(nearSource.path)}-crop.jpg`
      : `Shared/${show.localDate} ${show.artist}/${stem(nearSource.path)}-${variant === 'resized' ? 'small' : 'edit'}.jpg`;
  plan.copies.push({ type: variant, path: nearPath, source: nearSource.path });
  plan.specialFiles.push({ kind: 'near-duplicate', path: nearPath, duplicateOf: nearSource.path, variant });

  if (index % 2 === 0) {
    const exactSource = rng.pick(singles.filter((shot) => shot !== nearSource));
    const exactPath =
      index % 4 === 0
        ? `Exports/${show.localDate} ${show.artist}/${baseName(exactSource.path)}`
        : `${folder}/${stem(exactSource.path)} (1)${extension(exactSource.path)}`;
    plan.copies.push({ type: 'exact-duplicate', path: exactPath, source: exactSource.path });
    plan.specialFiles.push({ kind: 'exact-duplicate', path: exactPath, duplicateOf: exactSource.path });
  }
}

interface Moment {
  /** Seconds after midnight at the start of the show's local date (past 86400 after midnight). */
  seconds: number;
  support: boolean;
  afterMidnight: boolean;
}

/** Support act from 20:10, headliner to 23:45, and for late shows a few photos at 00:10–00:50. */
function shotMoments(show: ShowPlan, count: number, rng: Random): Moment[] {
  const [startHour, startMinute] = show.headlinerStart.split(':').map(Number) as [number, number];
  const headlinerStart = (startHour * 60 + startMinute) * MINUTE;
  const afterMidnight = show.runsPastMidnight ? Math.max(1, Math.round(count / 10)) : 0;
  const support = Math.max(1, Math.round(count / 5));
  const windows: [number, number, number, boolean, boolean][] = [
    [support, (20 * 60 + 10) * MINUTE, headlinerStart - 15 * MINUTE, true, false],
    [count - support - afterMidnight, headlinerStart, (23 * 60 + 45) * MINUTE, false, false],
    [afterMidnight, (24 * 60 + 10) * MINUTE, (24 * 60 + 50) * MINUTE, false, true],
  ];
  return windows.flatMap(([n, from, to, support, afterMidnight]) => spread(n, from, to, rng).map((seconds) => ({ seconds, support, afterMidnight })));
}

/** `n` moments in [from, to): evenly spread slots with random placement inside each, always MIN_SECONDS_BETWEEN_SHOTS apart. */
function spread(n: number, from: number, to: number, rng: Random): number[] {
  const slot = (to - from) / Math.max(n, 1);
  return Array.from({ length: n }, (_, i) => Math.round(from + i * slot + rng.float(0, slot - MIN_SECONDS_BETWEEN_SHOTS)));
}

/**
 * The festival's whole lineup with a setlist for every act, and photos of the acts the fan saw:
 * taken during the set, around the stage it played, a few without GPS.
 */
function planFestival(plan: LibraryPlan, festival: FestivalPlan, rng: Random): void {
  const [firstDay] = festival.days;
  if (!firstDay) throw new RangeError('a festival needs a day');
  const festivalId = `${firstDay.localDate}-${festival.site.key}`;
  const context = { camera: festival.camera, timeZone: festival.site.timeZone };
  const planned: PlannedFestival = {
    id: festivalId,
    name: festival.name,
    site: festival.site,
    stages: [...festival.stages],
    camera: festival.camera,
    days: [],
  };
  let fileNumber = rng.int(1000, 8000);
  for (const day of festival.days) {
    const folder = `${day.localDate.slice(0, 4)}/${day.localDate} ${festival.name}`;
    const acts = day.acts.map((act) => ({ ...act, id: `${day.localDate}-${festival.site.key}-${slugOf(act.stage)}-${slugOf(act.artist)}` }));
    planned.days.push({
      localDate: day.localDate,
      acts: acts.map(({ id, artist, stage, setStart, setEnd }) => ({
        id,
        artist,
        stage,
        setStart,
        setEnd,
        setlist: generateFestivalSetlist(rng.fork(`setlist:${id}`)),
      })),
    });
    for (const [index, act] of acts.filter((a) => a.photographed).entries()) {
      const stage = festival.stages.find((s) => s.name === act.stage);
      if (!stage) throw new RangeError(`${act.artist} plays on ${act.stage}, which ${festival.site.name} has not`);
      const actRng = rng.fork(`act:${act.id}`);
      const look = randomStageLook(actRng.int(1, 2 ** 31));
      const moments = festivalMoments(act.setStart, act.setEnd, actRng.fork('moments'));
      // Every other act has one photo without GPS.
      const withoutGps = index % 2 === 1 ? actRng.int(0, moments.length - 1) : -1;
      moments.forEach((moment, i) => {
        const scene = randomStageScene(actRng.int(1, 2 ** 31), look);
        const portrait = actRng.chance(0.15);
        const digits = festival.camera.subSecondDigits;
        const subSeconds = digits ? String(actRng.int(0, 10 ** digits - 1)).padStart(digits, '0') : null;
        const position = i === withoutGps ? null : jitter(stage.latitude, stage.longitude, actRng);
        fileNumber += actRng.chance(0.2) ? actRng.int(2, 4) : 1;
        const shot = shotTask({
          ...context,
          localDate: day.localDate,
          concertId: act.id,
          festivalId,
          folder,
          seconds: moment.seconds,
          subSeconds,
          position,
          portrait,
          scene,
          frame: 0,
          fileNumber,
        });
        plan.shots.push(shot);
        if (!position) plan.specialFiles.push({ kind: 'no-gps', path: shot.path });
        if (moment.afterMidnight)
          plan.specialFiles.push({ kind: 'after-midnight', path: shot.path, concertId: act.id, localTime: shot.photo.localTime });
      });
    }
  }
  plan.festivals.push(planned);
}

/** Shots from five minutes into a set to five before its end; a set past midnight has a few at 00:05–00:40. */
function festivalMoments(setStart: string, setEnd: string, rng: Random): Moment[] {
  const start = minutesOf(setStart) * MINUTE;
  let end = minutesOf(setEnd) * MINUTE;
  if (end <= start) end += 24 * 60 * MINUTE;
  const midnight = 24 * 60 * MINUTE;
  const moment = (afterMidnight: boolean) => (seconds: number) => ({ seconds, support: false, afterMidnight });
  if (end <= midnight) return spread(FESTIVAL_SHOTS_PER_ACT, start + 5 * MINUTE, end - 5 * MINUTE, rng).map(moment(false));
  const late = FESTIVAL_SHOTS_AFTER_MIDNIGHT;
  return [
    ...spread(FESTIVAL_SHOTS_PER_ACT - late, start + 5 * MINUTE, midnight - 5 * MINUTE, rng).map(moment(false)),
    ...spread(late, midnight + 5 * MINUTE, Math.min(end - 5 * MINUTE, midnight + 40 * MINUTE), rng).map(moment(true)),
  ];
}

function minutesOf(wallTime: string): number {
  const [hours, minutes] = wallTime.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** What a show's shots share: its camera, zone and evening. */
function shotContext(show: ShowPlan): { camera: DemoCamera; timeZone: string; localDate: string } {
  return { camera: show.camera, timeZone: show.venue.timeZone, localDate: show.localDate };
}

function shotTask(input: {
  camera: DemoCamera;
  timeZone: string;
  localDate: string;
  concertId: string;
  festivalId: string | null;
  folder: string;
  seconds: number;
  subSeconds: string | null;
  position: { latitude: number; longitude: number } | null;
  portrait: boolean;
  scene: StageScene;
  frame: number;
  fileNumber: number;
}): ShotTask {
  const { camera, timeZone, seconds, subSeconds, position, frame } = input;
  const wall = wallTimeOf(input.localDate, seconds, subSeconds);
  const instant = zonedWallTimeToInstant(wall, timeZone);
  const localTime = formatWallTime(wall);
  const utcOffset = camera.writesOffset ? formatOffset(zoneOffsetAt(instant.getTime(), timeZone)) : null;
  const path = `${input.folder}/${fileName(camera, input.fileNumber, wall, instant)}`;
  const exif: PhotoExif = {
    localTime,
    make: camera.make,
    model: camera.model,
    orientation: input.portrait ? 6 : 1,
    ...(subSeconds ? { subSeconds } : {}),
    ...(utcOffset ? { offset: utcOffset } : {}),
    ...(position ?? {}),
  };
  return {
    type: 'shot',
    path,
    scene: input.scene,
    burstFrame: frame,
    portrait: input.portrait,
    exif,
    photo: {
      path,
      concertId: input.concertId,
      festivalId: input.festivalId,
      localTime,
      subSeconds,
      utcOffset,
      takenAt: instant.toISOString(),
      latitude: position?.latitude ?? null,
      longitude: position?.longitude ?? null,
      cameraMake: camera.make,
      cameraModel: camera.model,
      orientation: input.portrait ? 6 : 1,
    },
  };
}

function planBrokenFiles(plan: LibraryPlan, rng: Random): void {
  const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/'));
  const showFolders = [...new Set(plan.shots.map((shot) => folderOf(shot.path)))];
  const folder = (i: number) => showFolders[i % showFolders.length]!;
  const emptyPath = `${folder(0)}/IMG_0001.JPG`;
  plan.fixedFiles.push({ type: 'empty', path: emptyPath });
  plan.specialFiles.push({ kind: 'broken', path: emptyPath, problem: 'empty', derivedFrom: null });

  const truncatedSource = rng.pick(plan.shots.filter((shot) => shot.burstFrame === 0 && folderOf(shot.path) === folder(1)));
  const truncatedPath = `${folder(1)}/${stem(truncatedSource.path)}-copying${extension(truncatedSource.path)}`;
  plan.copies.push({ type: 'truncated', path: truncatedPath, source: truncatedSource.path });
  plan.specialFiles.push({ kind: 'broken', path: truncatedPath, problem: 'truncated', derivedFrom: truncatedSource.path });

  const textPath = `${folder(2)}/setlist.jpg`;
  plan.fixedFiles.push({ type: 'not-an-image', path: textPath });
  plan.specialFiles.push({ kind: 'broken', path: textPath, problem: 'not-an-image', derivedFrom: null });
}

/** `count` distinct indexes below `size` that satisfy `allowed`. */
function pickDistinct(rng: Random, size: number, count: number, allowed: (index: number) => boolean): number[] {
  const candidates = Array.from({ length: size }, (_, i) => i).filter(allowed);
  const picked: number[] = [];
  while (picked.length < count && candidates.length) picked.push(candidates.splice(rng.int(0, candidates.length - 1), 1)[0]!);
  return picked;
}

function jitter(latitude: number, longitude: number, rng: Random): { latitude: number; longitude: number } {
  const distance = rng.float(0, GPS_JITTER_METRES);
  const bearing = rng.float(0, 2 * Math.PI);
  const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
  return {
    latitude: round6(latitude + (distance * Math.cos(bearing)) / METRES_PER_DEGREE),
    longitude: round6(longitude + (distance * Math.sin(bearing)) / (METRES_PER_DEGREE * Math.cos((latitude * Math.PI) / 180))),
  };
}

function wallTimeOf(localDate: string, secondsAfterMidnight: number, subSeconds: string | null): WallTime {
  const [year, month, day] = localDate.split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(year, month - 1, day) + secondsAfterMidnight * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: subSeconds ? Number(subSeconds.padEnd(3, '0')) : 0,
  };
}

function formatWallTime(wall: WallTime): string {
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${p(wall.year, 4)}-${p(wall.month)}-${p(wall.day)}T${p(wall.hour)}:${p(wall.minute)}:${p(wall.second)}`;
}

function formatOffset(offsetMs: number): string {
  const minutes = Math.round(offsetMs / 60_000);
  const absolute = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

/** The name the camera gives the file: Pixels use UTC in the name, Samsungs local time, the rest a counter. */
function fileName(camera: DemoCamera, number: number, wall: WallTime, instant: Date): string {
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  switch (camera.fileName) {
    case 'IMG':
      return `IMG_${p(number % 10_000, 4)}.JPG`;
    case 'DSC':
      return `DSC${p(number % 100_000, 5)}.JPG`;
    case 'DSCF':
      return `DSCF${p(number % 10_000, 4)}.JPG`;
    case 'PXL':
      return `PXL_${instant.toISOString().replace(/[-:]/g, '').replace('T', '_').replace('.', '').slice(0, 18)}.jpg`;
    case 'SAMSUNG':
      return `${p(wall.year, 4)}${p(wall.month)}${p(wall.day)}_${p(wall.hour)}${p(wall.minute)}${p(wall.second)}.jpg`;
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function stem(path: string): string {
  const name = baseName(path);
  return name.slice(0, name.lastIndexOf('.'));
}

function extension(path: string): string {
  return path.slice(path.lastIndexOf('.'));
}
