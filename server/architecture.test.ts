/**
 * The layers as STYLE.md draws them, checked on the source: services know nothing
 * of the queue library, SQL or HTTP; the scan pipeline's hand-offs are made in one
 * place; configuration reaches into no source; each folder has one shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sourcesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      files.push(relative(ROOT, join(entry.parentPath, entry.name)));
    }
  }
  return files.sort();
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const importsOf = (file: string, { withTypes = true } = {}) =>
  [...read(file).matchAll(/^\s*(import|export)(\s+type)?\b[^'"]*?from\s+'([^']+)'/gm)].filter((m) => withTypes || !m[2]).map((m) => m[3]!);

/** Every file of `folder` whose imports or text match, with what matched. */
function offenders(folder: string, test: (file: string) => string[]) {
  return sourcesUnder(folder).flatMap((file) => test(file).map((found) => `${file}: ${found}`));
}

describe('the layers', () => {
  it('keep services free of the queue library, SQL and HTTP', () => {
    // Types of a connection may name the library (the wiring in core.ts); code may not use it.
    const forbidden = /^(drizzle-orm.*|mysql2.*|express)$|\/http\//;
    const forbiddenAtRuntime = /^(bullmq|ioredis)$/;
    const imports = (file: string) => [
      ...importsOf(file).filter((source) => forbidden.test(source)),
      ...importsOf(file, { withTypes: false }).filter((source) => forbiddenAtRuntime.test(source)),
    ];
    expect(offenders('server/services', imports)).toEqual([]);
  });

  it('leave retries, last attempts and cancellation to the job layer', () => {
    const jobLayerWords = /UnrecoverableError|attempt\.number|attempt\.of|isCancelled\(/g;
    expect(offenders('server/services', (file) => read(file).match(jobLayerWords) ?? [])).toEqual([]);
  });

  it('hand each stage of a scan to the next in one place, the pipeline declaration', () => {
    const laterStages = /['"](ingest-photo|dedup-scan|group-events|detect-venue|match-concert|scan-finished-mail)['"]/;
    const adds = (file: string) =>
      file === 'worker/scan-pipeline.ts'
        ? []
        : [...read(file).matchAll(/\.(add|addBulk)\(\s*([^,]+),/g)].map((m) => m[2]!).filter((name) => laterStages.test(name));
    expect([...offenders('server', adds), ...offenders('worker', adds)]).toEqual([]);
    expect(read('worker/scan-pipeline.ts')).toMatch(/'dedup-scan'[\s\S]*'group-events'[\s\S]*'detect-venue'[\s\S]*'match-concert'/);
  });

  it('let configuration read its values without reaching into a photo source', () => {
    expect(importsOf('server/config.ts').filter((source) => source.includes('/sources/'))).toEqual([]);
  });

  it('keep file formats in exports/ and mail in mail/, with repositories and services in their own folders', () => {
    const misplaced = (file: string) => (/\.(repository|service)\.ts$|-module\.ts$/.test(file) ? ['a repository, service or wiring module'] : []);
    expect(offenders('server/mail', misplaced)).toEqual([]);
    expect(offenders('server/exports', misplaced)).toEqual([]);
    expect(offenders('server/services', (file) => (/csv|pdf|row-files/.test(file) ? ['a file format'] : []))).toEqual([]);
  });

  it('build the web server and the worker each from its own wiring on one shared core', () => {
    expect(importsOf('server/bootstrap.ts')).toContain('./services/index.js');
    expect(importsOf('server/services/index.ts')).toContain('./core.js');
    expect(importsOf('worker/bootstrap.ts')).toContain('../server/services/core.js');
    expect(importsOf('worker/bootstrap.ts')).not.toContain('../server/services/index.js');
    expect(importsOf('server/services/index.ts').filter((source) => source.includes('worker/'))).toEqual([]);
  });

  it('retries HTTP calls with one policy, on one library, and nowhere else by hand', () => {
    const backoffByHand = (file: string) =>
      file !== 'server/integrations/http-retry.ts' && /\b2 \*\* /.test(read(file)) ? ['exponential backoff'] : [];
    expect([...offenders('server/integrations', backoffByHand), ...offenders('server/sources', backoffByHand)]).toEqual([]);
    expect(sourcesUnder('server').filter((file) => importsOf(file).includes('cockatiel'))).toEqual(['server/integrations/http-retry.ts']);
  });

  it("use mysql2's and pdfkit's public API, never their private fields", () => {
    const privateField = /\)\._[a-zA-Z]|\b_allConnections|\b_freeConnections|as unknown as \{ ?_|as unknown as CoreConnection/g;
    const found = (file: string) => read(file).match(privateField) ?? [];
    expect([...offenders('server/db', found), ...offenders('server/exports', found), ...offenders('server/observability', found)]).toEqual([]);
  });
});
