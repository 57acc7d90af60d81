/**
 * README's configuration table cannot drift from server/config.ts: the variables come from the zod schema's
 * shape (never a list kept by hand), and each must have a row, each row a variable the schema reads, and a
 * default written as one literal must be the schema's default.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../server/config.js';
import { QUEUE_NAMES } from '../../shared/queues.js';

interface Row {
  names: string[];
  defaultCell: string;
  meaning: string;
}

/** The rows of the table under "## Configuration": `| `A`, `B` | default | meaning |`. */
function configurationTable(readme: string): Row[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration\n'));
  if (!section) throw new Error('README has no "## Configuration" section');
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.map((line) => {
    // Cells split on pipes outside backticks (a default such as `a|b` stays whole).
    const cells = line
      .slice(1, -1)
      .split(/\|(?=(?:[^`]*`[^`]*`)*[^`]*$)/)
      .map((cell) => cell.trim());
    const [names = '', defaultCell = '', ...meaning] = cells;
    return { names: [...names.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!), defaultCell, meaning: meaning.join('|') };
  });
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const table = configurationTable(readme);
const shape = envSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }>;
const schemaNames = Object.keys(shape).sort();
const rowOf = (name: string) => table.find((row) => row.names.includes(name));

describe("README's configuration table", () => {
  it('has a row for every variable server/config.ts reads, and no row for one it does not', () => {
    const tableNames = table.flatMap((row) => row.names);
    expect(schemaNames.length).toBeGreaterThan(40);
    expect({ missingFromReadme: schemaNames.filter((name) => !tableNames.includes(name)) }).toEqual({ missingFromReadme: [] });
    expect({ notReadByConfig: tableNames.filter((name) => !schemaNames.includes(name)) }).toEqual({ notReadByConfig: [] });
    expect(new Set(tableNames).size).toBe(tableNames.length);
  });

  it("states each default written as one literal exactly as the schema's default", () => {
    const checked: string[] = [];
    const wrong: Array<{ name: string; readme: string; schema: unknown }> = [];
    for (const row of table) {
      const literal = row.defaultCell.match(/^`([^`]+)`$/)?.[1];
      // Another variable's name (`NODE_ENV`, `REDIS_URL`) says "the same as that one": not a literal.
      if (literal === undefined || literal in shape) continue;
      for (const name of row.names) {
        const parsed = shape[name]!.safeParse(undefined);
        const value = parsed.success ? parsed.data : undefined;
        if (typeof value === 'object' || value === undefined) continue; // computed defaults (lists, maps) are in words
        checked.push(name);
        if (String(value) !== literal) wrong.push({ name, readme: literal, schema: value });
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'INGEST_ATTEMPTS', 'MEDIA_URL_TTL_SECONDS']));
  });

  it('says "—" only where the schema has no default', () => {
    const withDefault = table
      .filter((row) => row.defaultCell.startsWith('—'))
      .flatMap((row) => row.names)
      .filter((name) => {
        const parsed = shape[name]!.safeParse(undefined);
        const value = parsed.success ? parsed.data : undefined;
        return value !== undefined && !(Array.isArray(value) && value.length === 0);
      });
    expect(withDefault).toEqual([]);
  });

  it('names every queue in the worker rows', () => {
    for (const variable of ['WORKER_QUEUES', 'WORKER_CONCURRENCY']) {
      const row = rowOf(variable);
      const text = `${row?.defaultCell} ${row?.meaning}`;
      expect({ variable, missing: QUEUE_NAMES.filter((queue) => !new RegExp(`\\b${queue}\\b`).test(text)) }).toEqual({ variable, missing: [] });
    }
  });
});
