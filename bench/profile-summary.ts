/**
 * npx tsx bench/profile-summary.ts <file.cpuprofile> [more.cpuprofile …]
 *
 * Where a process's CPU went, from V8 CPU profiles (`node --cpu-prof`, e.g. `npm run bench:load -- --cpu-prof`,
 * which writes the web processes' profiles to .data/bench/load-profiles/): self time grouped by package (the
 * `node_modules/<name>` a function lives in), Node's own internals, garbage collection, and the app's folders,
 * as a share of the time the process was busy (idle excluded), then the functions with the most self time.
 * Several files (one per web process) are added together.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [more …]');
  process.exit(1);
}

/** The group a function's time is counted under. */
function groupOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)') return 'V8 and native (program)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const inApp = /\/(server|worker|shared)\/(.+?)\/?[^/]*$/.exec(url);
  if (inApp) return `app: ${inApp[1]}/${inApp[2]!.split('/')[0]}`;
  if (url === '') return `native: ${functionName || '(anonymous)'}`;
  return url;
}

const byGroup = new Map<string, number>();
const byFunction = new Map<string, number>();
let busy = 0;
for (const file of files) {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id)!;
    const micros = profile.timeDeltas[i] ?? 0;
    const group = groupOf(node.callFrame);
    if (group === '(idle)') return;
    busy += micros;
    byGroup.set(group, (byGroup.get(group) ?? 0) + micros);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|worker|shared)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  });
}

const share = (micros: number) => `${((micros / busy) * 100).toFixed(1)} %`;
console.log(`Busy time: ${(busy / 1e6).toFixed(1)} s of CPU in ${files.length} profile(s)\n`);
console.log('| where | share of busy time |\n| --- | --- |');
for (const [group, micros] of [...byGroup].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`| ${group} | ${share(micros)} |`);
console.log('\nFunctions with the most self time:\n');
console.log('| function | share |\n| --- | --- |');
for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`| \`${name}\` | ${share(micros)} |`);
