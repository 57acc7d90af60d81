/**
 * Writes a demo concert photo library and its manifest.json: the same bytes on
 * every run for the same options. Each scene is rendered once; burst frames
 * re-render it with small changes, and copies are derived from the written file.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import sharp from 'sharp';
import { emptyFile, textFileNamedJpeg, truncatedCopy } from './broken-files.js';
import { GENERATOR_VERSION, type DemoFile, type DemoLibraryManifest, type DemoLibraryOptionsUsed, type DemoPhoto } from './manifest.js';
import { encodeJpeg } from './photo-exif.js';
import { croppedCopy, recompressedCopy, resizedCopy } from './photo-variants.js';
import { planLibrary, type CopyTask, type ShotTask } from './plan.js';
import { burstFrame, renderStageScene, type RawImage } from './stage-scene.js';

export const MANIFEST_FILE = 'manifest.json';

export interface GenerateDemoLibraryOptions {
  seed?: number;
  /** How many of the ten shows (1–10). */
  concerts?: number;
  /** Distinct shots per show (4–100); bursts, copies and broken files come on top. */
  photosPerConcert?: number;
  /**
   * Adds the demo festival (two days at Flevopark, five acts photographed; see lineup.ts FESTIVAL).
   * Defaults to on for the full demo (neither `concerts` nor `photosPerConcert` given, as `npm start`
   * and the CLIs ask for it) and off for a library cut down with them, as tests make it: a test sees
   * the festival only when it asks for it.
   */
  festival?: boolean;
  /** 'default' is 1600×1200 (fast); '12mp' is 4000×3000, for benchmarks. */
  size?: 'default' | '12mp';
  /** Files rendered at once; defaults to the number of cores. */
  concurrency?: number;
}

const SIZES = { default: { width: 1600, height: 1200 }, '12mp': { width: 4000, height: 3000 } } as const;
const CAMERA_JPEG_QUALITY = 90;

interface WrittenFile {
  sha256: string;
  byteSize: number;
  /** As displayed; 0 for broken files. */
  width: number;
  height: number;
}

export function resolveDemoLibraryOptions(options: GenerateDemoLibraryOptions = {}): DemoLibraryOptionsUsed {
  const photosPerConcert = options.photosPerConcert ?? 30;
  if (photosPerConcert > 100) throw new RangeError('photosPerConcert must be at most 100');
  const festival = options.festival ?? (options.concerts === undefined && options.photosPerConcert === undefined);
  return { seed: options.seed ?? 20_240_412, concerts: options.concerts ?? 10, photosPerConcert, festival, ...SIZES[options.size ?? 'default'] };
}

export async function generateDemoLibrary(outDir: string, options: GenerateDemoLibraryOptions = {}): Promise<DemoLibraryManifest> {
  const used = resolveDemoLibraryOptions(options);
  const plan = planLibrary(used);
  await prepareOutputDirectory(outDir);
  const concurrency = options.concurrency ?? availableParallelism();
  const written = new Map<string, WrittenFile>();
  const write = async (path: string, bytes: Buffer, size: { width: number; height: number }) => {
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await writeFile(join(outDir, path), bytes);
    written.set(path, { sha256: createHash('sha256').update(bytes).digest('hex'), byteSize: bytes.length, ...size });
  };

  await forEachConcurrently(plan.shots, concurrency, async (shot) => {
    const size = shot.portrait ? { width: used.height, height: used.width } : { width: used.width, height: used.height };
    await write(shot.path, await renderShot(shot, used), size);
  });
  await forEachConcurrently(plan.fixedFiles, concurrency, async (task) => {
    await write(task.path, task.type === 'empty' ? emptyFile() : textFileNamedJpeg(), { width: 0, height: 0 });
  });
  await forEachConcurrently(plan.copies, concurrency, async (task) => {
    const bytes = await makeCopy(task, await readFile(join(outDir, task.source)));
    const size = task.type === 'truncated' ? { width: 0, height: 0 } : (await sharp(bytes).metadata()).autoOrient;
    await write(task.path, bytes, { width: size.width, height: size.height });
  });

  const photoOf = new Map(plan.shots.map((shot) => [shot.path, shot.photo]));
  const photos: DemoPhoto[] = [];
  for (const task of [...plan.shots, ...plan.copies]) {
    const source = task.type === 'shot' ? task.photo : task.type === 'truncated' ? undefined : photoOf.get(task.source);
    const file = written.get(task.path);
    if (source && file) photos.push({ ...source, path: task.path, width: file.width, height: file.height });
  }
  photos.sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.path.localeCompare(b.path));

  const filesOf = (concertId: string) => photos.filter((photo) => photo.concertId === concertId).map((photo) => photo.path);
  const files: DemoFile[] = [...written.entries()]
    .map(([path, { sha256, byteSize }]) => ({ path, sha256, byteSize }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const manifest: DemoLibraryManifest = {
    generatorVersion: GENERATOR_VERSION,
    options: used,
    concerts: plan.concerts.map((concert) => ({
      ...concert,
      files: filesOf(concert.id),
    })),
    festivals: plan.festivals.map((festival) => ({
      ...festival,
      days: festival.days.map((day) => ({ ...day, acts: day.acts.map((act) => ({ ...act, files: filesOf(act.id) })) })),
    })),
    photos,
    specialFiles: plan.specialFiles,
    files,
  };
  // Written last: a library without its manifest is incomplete and gets regenerated.
  await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The library in `outDir`, generated only when missing or made by another
 * generator version or other options.
 */
export async function ensureDemoLibrary(
  outDir: string,
  options: GenerateDemoLibraryOptions = {},
): Promise<{ manifest: DemoLibraryManifest; generated: boolean }> {
  const existing = await readDemoLibraryManifest(outDir);
  if (existing?.generatorVersion === GENERATOR_VERSION && isDeepStrictEqual(existing.options, resolveDemoLibraryOptions(options))) {
    return { manifest: existing, generated: false };
  }
  return { manifest: await generateDemoLibrary(outDir, options), generated: true };
}

/** The manifest of a complete library in `outDir`, or null. */
export async function readDemoLibraryManifest(outDir: string): Promise<DemoLibraryManifest | null> {
  try {
    return JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')) as DemoLibraryManifest;
  } catch {
    return null;
  }
}

/** Clears a previous demo library; refuses to touch a folder that holds anything else. */
async function prepareOutputDirectory(outDir: string): Promise<void> {
  if (existsSync(outDir)) {
    const entries = await readdir(outDir);
    if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
      throw new Error(`${outDir} is not empty and holds no demo library (${MANIFEST_FILE}); refusing to overwrite it`);
    }
    await rm(outDir, { recursive: true, force: true });
  }
  await mkdir(outDir, { recursive: true });
}

async function renderShot(shot: ShotTask, size: { width: number; height: number }): Promise<Buffer> {
  const scene = shot.burstFrame === 0 ? shot.scene : burstFrame(shot.scene, shot.burstFrame);
  let pixels: RawImage;
  if (shot.portrait) {
    // Held upright: the sensor still stores landscape pixels, and Orientation 6 turns them back.
    const upright = await renderStageScene(scene, size.height, size.width);
    const stored = await sharp(upright.data, { raw: { width: upright.width, height: upright.height, channels: 3 } })
      .rotate(270)
      .raw()
      .toBuffer();
    pixels = { data: stored, width: size.width, height: size.height, channels: 3 };
  } else {
    pixels = await renderStageScene(scene, size.width, size.height);
  }
  return encodeJpeg(pixels, { quality: CAMERA_JPEG_QUALITY, exif: shot.exif });
}

async function makeCopy(task: CopyTask, source: Buffer): Promise<Buffer> {
  switch (task.type) {
    case 'exact-duplicate':
      return source;
    case 'resized':
      return resizedCopy(source, 0.5);
    case 'recompressed':
      return recompressedCopy(source, 60);
    case 'cropped':
      return croppedCopy(source, 0.03);
    case 'truncated':
      return truncatedCopy(source, 0.5);
  }
}

async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
