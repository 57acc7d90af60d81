/**
 * npm run bench:images [-- --photos 32 --rounds 5]
 *
 * Variant generation (`renderVariants`: WebP at 400, 800 and 1200 px from one
 * shrink-on-load decode) against sharp's raw resize rate on the same 12-megapixel
 * JPEGs, cores and concurrency, in the same run: the naive use of sharp, three
 * independent pipelines a photo, each `sharp(buffer).rotate().resize({ width })
 * .webp({ quality: 80, effort: 2 })`, the same output format and quality as ours.
 * One photo per core in flight with sharp.concurrency(1), as the worker runs them;
 * an untimed warm-up pass of each side (which also checks the outputs), then
 * rounds that alternate which side goes first. Prints photos/s (a photo = its
 * three variants), per-photo p50/p95, CPU and output bytes a photo, and the
 * ratio ours/sharp (the median of the rounds' ratios: each round's pair ran back to back).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEFAULT_MAX_PIXELS } from '../server/media/image-analysis.js';
import { renderVariants, VARIANT_WIDTHS } from '../server/media/variants.js';
import { percentile, round, twelveMegapixelLibrary } from './support.js';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '5' },
  },
});
const CORES = availableParallelism();
const PHOTOS = Number(values.photos);
const ROUNDS = Number(values.rounds);

interface Output {
  width: number;
  height: number;
  data: Buffer;
}
type Side = (original: Buffer) => Promise<Output[]>;

const ours: Side = async (original) =>
  (await renderVariants(original, { maxPixels: DEFAULT_MAX_PIXELS })).map((v) => ({ width: v.pixelWidth, height: v.pixelHeight, data: v.data }));

/** The baseline: what anyone would write first with sharp, one full pipeline a width. */
const naiveSharp: Side = (original) =>
  Promise.all(
    VARIANT_WIDTHS.map(async (width) => {
      const { data, info } = await sharp(original).rotate().resize({ width }).webp({ quality: 80, effort: 2 }).toBuffer({ resolveWithObject: true });
      return { width: info.width, height: info.height, data };
    }),
  );

/** Distinct 12-MP JPEGs of the demo library (originals and burst frames; broken files and smaller copies left out). */
async function twelveMegapixelPhotos(photos: number): Promise<{ path: string; portrait: boolean }[]> {
  const { dir, manifest } = await twelveMegapixelLibrary(photos);
  const sha256 = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  const seen = new Set<string>();
  const picked = manifest.photos.filter((p) => {
    const hash = sha256.get(p.path)!;
    if (p.width * p.height !== 12_000_000 || seen.has(hash)) return false;
    seen.add(hash);
    return true;
  });
  if (picked.length < photos) throw new Error(`Only ${picked.length} distinct 12-MP photos in ${dir}, ${photos} asked for`);
  return picked.slice(0, photos).map((p) => ({ path: join(dir, p.path), portrait: p.height > p.width }));
}

/** Every photo through `side`, one per core in flight, as the worker runs its photo jobs. */
async function run(side: Side, buffers: Buffer[], onOutput?: (index: number, outputs: Output[]) => void) {
  const times: number[] = [];
  let bytes = 0;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CORES }, async () => {
      while (next < buffers.length) {
        const index = next++;
        const t = performance.now();
        const outputs = await side(buffers[index]!);
        times.push(performance.now() - t);
        bytes += outputs.reduce((sum, o) => sum + o.data.length, 0);
        onOutput?.(index, outputs);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // CPU of this whole process (libvips threads included): less moved than wall time by other work on the machine.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerPhoto = (cpu.user + cpu.system) / 1000 / buffers.length;
  return { photosPerSecond: buffers.length / seconds, times, bytesPerPhoto: bytes / buffers.length, cpuMsPerPhoto };
}

/** What each output must be: no EXIF or XMP (GPS, camera serial), upright, the widths asked for. */
async function check(label: string, photo: { path: string; portrait: boolean }, outputs: Output[]): Promise<string[]> {
  const problems: string[] = [];
  if (outputs.length !== VARIANT_WIDTHS.length) problems.push(`${label}: ${outputs.length} variants for ${photo.path}`);
  for (const [i, output] of outputs.entries()) {
    const metadata = await sharp(output.data).metadata();
    if (metadata.format !== 'webp') problems.push(`${label}: ${photo.path} variant ${i} is ${metadata.format}, not WebP`);
    if (metadata.exif) problems.push(`${label}: ${photo.path} variant ${output.width} px carries EXIF (${metadata.exif.length} bytes)`);
    if (metadata.xmp) problems.push(`${label}: ${photo.path} variant ${output.width} px carries XMP (${metadata.xmp.length} bytes)`);
    if (output.width !== VARIANT_WIDTHS[i])
      problems.push(`${label}: ${photo.path} variant ${i} is ${output.width} px wide, not ${VARIANT_WIDTHS[i]}`);
    if (photo.portrait !== output.height > output.width)
      problems.push(`${label}: ${photo.path} variant ${output.width} px is not upright (${output.width}×${output.height})`);
  }
  return problems;
}

const median = (list: number[]) =>
  percentile(
    [...list].sort((a, b) => a - b),
    50,
  );

sharp.concurrency(1);
sharp.cache(false); // as the worker: no libvips operation cache to favour the side that decodes the same buffer three times
const photos = await twelveMegapixelPhotos(PHOTOS);
const buffers = await Promise.all(photos.map((p) => readFile(p.path)));
const inputsWithExif = (await Promise.all(buffers.map(async (b) => Boolean((await sharp(b).metadata()).exif)))).filter(Boolean).length;
const megabytes = buffers.reduce((sum, b) => sum + b.length, 0) / buffers.length / 1e6;
console.log(
  `Machine: ${CORES} cores, load average ${round(loadavg()[0]!, 2)}; ${photos.length} photos of 12 MP (${photos.filter((p) => p.portrait).length} portrait, EXIF orientation 6), ${round(megabytes)} MB on average, ${inputsWithExif} with EXIF.`,
);
if (inputsWithExif !== photos.length) throw new Error('Some inputs carry no EXIF: the metadata check below would prove nothing');

// Warm-up: one untimed pass of each side, keeping the outputs to check them.
const sides = { ours, 'sharp, naive': naiveSharp } as const;
const problems: string[] = [];
for (const [label, side] of Object.entries(sides)) {
  const kept: Output[][] = [];
  await run(side, buffers, (index, outputs) => (kept[index] = outputs));
  for (const [index, outputs] of kept.entries()) problems.push(...(await check(label, photos[index]!, outputs)));
}
if (problems.length) {
  console.error(`The variants are not what they must be:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`Warm-up done; every variant of both sides is WebP, upright, ${VARIANT_WIDTHS.join('/')} px wide, with no EXIF or XMP.`);

// Rounds alternate which side goes first, so neither always runs on the cooler or warmer machine.
const results = { ours: [] as Awaited<ReturnType<typeof run>>[], sharp: [] as Awaited<ReturnType<typeof run>>[] };
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? (['ours', 'sharp'] as const) : (['sharp', 'ours'] as const);
  for (const name of order) results[name].push(await run(name === 'ours' ? ours : naiveSharp, buffers));
  const [o, s] = [results.ours[r]!, results.sharp[r]!];
  console.log(
    `round ${r + 1} (${order[0]} first): ours ${round(o.photosPerSecond, 2)} photos/s, sharp ${round(s.photosPerSecond, 2)} photos/s, ratio ${round(o.photosPerSecond / s.photosPerSecond, 2)}; CPU a photo ${round(o.cpuMsPerPhoto, 0)} / ${round(s.cpuMsPerPhoto, 0)} ms`,
  );
}

const summary = (list: typeof results.ours) => {
  const times = list.flatMap((x) => x.times).sort((a, b) => a - b);
  return {
    photosPerSecond: median(list.map((x) => x.photosPerSecond)),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    cpuMs: median(list.map((x) => x.cpuMsPerPhoto)),
    kB: list[0]!.bytesPerPhoto / 1000,
  };
};
const [o, s] = [summary(results.ours), summary(results.sharp)];
const ratios = results.ours.map((x, i) => x.photosPerSecond / results.sharp[i]!.photosPerSecond);
const cpuRatios = results.ours.map((x, i) => results.sharp[i]!.cpuMsPerPhoto / x.cpuMsPerPhoto);
console.log(`\n| side | photos | photos/s (median of ${ROUNDS}) | per photo p50 / p95 ms | CPU a photo | output a photo |`);
console.log('| --- | --- | --- | --- | --- | --- |');
console.log(
  `| ours, \`renderVariants\` | ${photos.length} | ${round(o.photosPerSecond, 2)} | ${round(o.p50, 0)} / ${round(o.p95, 0)} | ${round(o.cpuMs, 0)} ms | ${round(o.kB)} kB |`,
);
console.log(
  `| sharp, naive (3 pipelines) | ${photos.length} | ${round(s.photosPerSecond, 2)} | ${round(s.p50, 0)} / ${round(s.p95, 0)} | ${round(s.cpuMs, 0)} ms | ${round(s.kB)} kB |`,
);
console.log(
  `\nRatio ours/sharp, photos/s: ${round(median(ratios), 2)} (median of the rounds: ${ratios.map((x) => round(x, 2)).join(', ')}); by CPU a photo: ${round(median(cpuRatios), 2)}.`,
);
console.log(`${CORES} photos in flight, sharp.concurrency(1); load average at the end ${round(loadavg()[0]!, 2)}.`);
