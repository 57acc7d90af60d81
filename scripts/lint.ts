/**
 * The lint and format gate (Biome; rules, formatting and which files it covers in biome.json), run by CI (.ci/run).
 * It covers the whole repository: every file biome.json includes, except what .gitignore ignores.
 *
 *   npm run lint                 fails on any lint finding or formatting difference
 *   npm run format               formats every file in place
 *   npm run format:check         formatting alone
 *
 * A rule that is wrong for one line is silenced on that line, with the reason: `// biome-ignore lint/<group>/<rule>: <why>`
 * (in CSS, the same text in a block comment); never by turning the rule off in biome.json.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const biome = resolve('node_modules/.bin/biome');
const args = new Set(process.argv.slice(2));

function run(command: string[]): number {
  return spawnSync(biome, [...command, '.'], { stdio: 'inherit' }).status ?? 1;
}

if (args.has('--format')) process.exit(run(['format', '--write']));
if (args.has('--format-check')) process.exit(run(['format']));
process.exit(run(['ci', '--error-on-warnings']));
