/**
 * Generates the demo concert photo library, unless an identical one is there.
 *
 *   tsx scripts/demo-library/cli.ts [outDir] [--size 12mp] [--concerts N] [--photos-per-concert N] [--seed N] [--festival | --no-festival]
 *
 * outDir defaults to .data/demo-library (git-ignored). The demo festival is in the library unless
 * --concerts or --photos-per-concert cut it down (then only with --festival); --no-festival leaves it out.
 */
import { parseArgs } from 'node:util';
import { ensureDemoLibrary, type GenerateDemoLibraryOptions } from './generate.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string' },
    concerts: { type: 'string' },
    'photos-per-concert': { type: 'string' },
    seed: { type: 'string' },
    festival: { type: 'boolean' },
    'no-festival': { type: 'boolean' },
  },
});
if (values.festival && values['no-festival']) throw new Error('--festival and --no-festival contradict each other');

const outDir = positionals[0] ?? '.data/demo-library';
const size = values.size ?? 'default';
if (size !== 'default' && size !== '12mp') throw new Error(`--size must be "default" or "12mp", got ${size}`);
const options: GenerateDemoLibraryOptions = {
  size,
  ...(values.concerts ? { concerts: integer('concerts', values.concerts) } : {}),
  ...(values['photos-per-concert'] ? { photosPerConcert: integer('photos-per-concert', values['photos-per-concert']) } : {}),
  ...(values.seed ? { seed: integer('seed', values.seed) } : {}),
  ...(values.festival ? { festival: true } : values['no-festival'] ? { festival: false } : {}),
};

const started = performance.now();
const { manifest, generated } = await ensureDemoLibrary(outDir, options);
const festivalDays = manifest.festivals.reduce((days, festival) => days + festival.days.length, 0);
const summary = `${manifest.photos.length} photos of ${manifest.concerts.length} concerts${festivalDays ? ` and a ${festivalDays}-day festival` : ''}`;
if (generated) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Wrote ${manifest.files.length} files (${summary}) to ${outDir} in ${seconds} s.`);
} else {
  console.log(`The demo library in ${outDir} is up to date (${summary}).`);
}

function integer(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`--${name} must be an integer, got ${text}`);
  return value;
}
