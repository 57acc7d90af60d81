/** Reads the web server's own Prometheus figures: view-cache hits and misses, time per procedure. */
export interface ServerCounters {
  cache: Map<string, { hit: number; miss: number }>;
  /** Per procedure: calls and summed seconds (trpc_procedure_duration_seconds). */
  procedures: Map<string, { count: number; seconds: number }>;
}

export async function scrape(url: string): Promise<ServerCounters> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const cache = new Map<string, { hit: number; miss: number }>();
  const procedures = new Map<string, { count: number; seconds: number }>();
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const [, name, labelText, value] = match;
    const labels = Object.fromEntries([...labelText!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (name === 'cache_requests_total' && (labels.result === 'hit' || labels.result === 'miss')) {
      const entry = cache.get(labels.cache!) ?? { hit: 0, miss: 0 };
      entry[labels.result] += Number(value);
      cache.set(labels.cache!, entry);
    } else if (name === 'trpc_procedure_duration_seconds_count' || name === 'trpc_procedure_duration_seconds_sum') {
      const entry = procedures.get(labels.procedure!) ?? { count: 0, seconds: 0 };
      if (name.endsWith('_count')) entry.count += Number(value);
      else entry.seconds += Number(value);
      procedures.set(labels.procedure!, entry);
    }
  }
  return { cache, procedures };
}

/**
 * What happened between two scrapes. The hit rate is the cached views' as a browser
 * meets them (`wire:` counters: answered from stored bytes, or computed); the service
 * caches behind them (stats on a wire miss, the inbox's counts…) are counted apart.
 */
export function difference(before: ServerCounters, after: ServerCounters) {
  let hits = 0;
  let misses = 0;
  let innerHits = 0;
  let innerMisses = 0;
  for (const [name, now] of after.cache) {
    const then = before.cache.get(name) ?? { hit: 0, miss: 0 };
    if (name.startsWith('wire:')) {
      hits += now.hit - then.hit;
      misses += now.miss - then.miss;
    } else {
      innerHits += now.hit - then.hit;
      innerMisses += now.miss - then.miss;
    }
  }
  const procedures = [...after.procedures].map(([name, now]) => {
    const then = before.procedures.get(name) ?? { count: 0, seconds: 0 };
    const count = now.count - then.count;
    return { name, count, meanMs: count ? ((now.seconds - then.seconds) * 1000) / count : 0 };
  });
  return {
    hits,
    misses,
    hitRate: hits + misses ? hits / (hits + misses) : 0,
    inner: { hits: innerHits, misses: innerMisses },
    procedures: procedures.filter((p) => p.count > 0).sort((a, b) => b.count - a.count),
  };
}
