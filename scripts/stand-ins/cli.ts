/**
 * `npm run stand-ins`: the local setlist.fm and Overpass stand-ins on fixed ports,
 * for running `npm run web` and `npm run worker` by hand against them.
 *
 *   tsx scripts/stand-ins/cli.ts [libraryDir] [--setlistfm-port 4010] [--overpass-port 4011]
 *
 * libraryDir is the demo library whose shows setlist.fm "knows" (default .data/libraries/demo, generated when missing).
 */
import { parseArgs } from 'node:util';
import { ensureDemoLibrary } from '../demo-library/generate.js';
import { startDemoStandIns } from './demo-stand-ins.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'setlistfm-port': { type: 'string', default: '4010' }, 'overpass-port': { type: 'string', default: '4011' } },
});

const libraryDir = positionals[0] ?? '.data/libraries/demo';
const { manifest } = await ensureDemoLibrary(libraryDir);
const standIns = await startDemoStandIns(manifest, {
  setlistfmPort: port(values['setlistfm-port']),
  overpassPort: port(values['overpass-port']),
});
console.log(`setlist.fm and Overpass stand-ins are serving the ${manifest.concerts.length} shows of ${libraryDir}. Point the app at them with:\n`);
for (const [name, value] of Object.entries(standIns.env)) console.log(`  export ${name}=${value}`);
console.log('\nCtrl-C stops them.');

const stop = () => void standIns.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`a port must be 0–65535, got ${text}`);
  return value;
}
