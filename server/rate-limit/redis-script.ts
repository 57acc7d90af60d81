import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type ScriptArgument = string | number | Buffer;

/** A Lua script run by hash, loaded on first use and again after Redis forgot it (restart, SCRIPT FLUSH). */
export function redisScript(body: string) {
  const sha = createHash('sha1').update(body).digest('hex');
  return async (redis: Redis, keys: string[], args: ScriptArgument[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String(error).includes('NOSCRIPT')) throw error;
      return redis.eval(body, keys.length, ...keys, ...args);
    }
  };
}
