/**
 * @upstash/ratelimit expects an @upstash/redis client (HTTP). On our own Redis it
 * only needs `eval` and `evalsha`, so this adapter gives it those over ioredis.
 * Its Lua scripts open with `#!lua flags=allow-key-locking`, a shebang Redis 7.0
 * refuses, so the adapter drops that line and loads the script under the hash of
 * what it really runs.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

interface LoadedScript {
  sha: string;
  body: string;
}

export interface UpstashEvalClient {
  eval(script: string, keys: string[], args: unknown[]): Promise<unknown>;
  evalsha(sha: string, keys: string[], args: unknown[]): Promise<unknown>;
}

const SHEBANG = /^#![^\n]*\n/;

export function upstashRedisAdapter(redis: Redis): UpstashEvalClient {
  // The library's script hash (of the text with the shebang) → the script we run.
  const scripts = new Map<string, LoadedScript>();

  const load = (script: string): LoadedScript => {
    const libraryHash = sha1(script);
    let loaded = scripts.get(libraryHash);
    if (!loaded) {
      const body = script.replace(SHEBANG, '');
      loaded = { sha: sha1(body), body };
      scripts.set(libraryHash, loaded);
    }
    return loaded;
  };

  return {
    async eval(script, keys, args) {
      const { body } = load(script);
      return redis.eval(body, keys.length, ...keys, ...args.map(String));
    },
    async evalsha(libraryHash, keys, args) {
      const loaded = scripts.get(libraryHash);
      // Unknown to this process yet: the library answers NOSCRIPT by calling eval with the text.
      if (!loaded) throw new Error('NOSCRIPT adapter has not loaded this script yet');
      try {
        return await redis.evalsha(loaded.sha, keys.length, ...keys, ...args.map(String));
      } catch (error) {
        if (!String(error).includes('NOSCRIPT')) throw error;
        return redis.eval(loaded.body, keys.length, ...keys, ...args.map(String));
      }
    },
  };
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
