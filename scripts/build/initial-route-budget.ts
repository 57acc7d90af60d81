/**
 * A Vite plugin that prints, after every production build, the JavaScript the
 * first page needs (the entry chunk and every chunk it imports statically), gzipped,
 * against the budget; over budget fails the build. Lazy views are not counted: the
 * browser fetches them when they are opened.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export function initialRouteBudget(budgetKiB: number): Plugin {
  return {
    name: 'initial-route-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        if (initial.has(fileName)) return;
        initial.add(fileName);
        for (const imported of chunks.get(fileName)?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const gzipped = [...initial].reduce((sum, fileName) => sum + gzipSync(chunks.get(fileName)!.code, { level: 9 }).length, 0);
      const kib = gzipped / 1024;
      const line = `initial route JS: ${kib.toFixed(1)} KiB gzipped in ${initial.size} chunk(s) (budget ${budgetKiB} KiB)`;
      if (kib > budgetKiB) this.error(`${line}: over budget`);
      this.info(line);
    },
  };
}
