/**
 * Generates the demo concert photo library, unless an identical one is there.
 *
 *   tsx scripts/demo-library/cli.ts [outDir] [--size 12mp] [--concerts N] [--photos-per-concert N] [--seed N]
 *
 * outDir defaults to .data/demo-library (git-ignored).
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
  },
});

const outDir = positionals[0] ?? '.data/demo-library';
const size = values.size ?? 'default';
if (size !== 'default' && size !== '12mp') throw new Error(`--size must be "default" or "12mp", got ${size}`);
const options: GenerateDemoLibraryOptions = {
  size,
  ...(values.concerts ? { concerts: integer('concerts', values.concerts) } : {}),
  ...(values['photos-per-concert'] ? { photosPerConcert: integer('photos-per-concert', values['photos-per-concert']) } : {}),
  ...(values.seed ? { seed: integer('seed', values.seed) } : {}),
};

const started = performance.now();
const { manifest, generated } = await ensureDemoLibrary(outDir, options);
const summary = `${manifest.photos.length} photos of ${manifest.concerts.length} concerts`;
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
