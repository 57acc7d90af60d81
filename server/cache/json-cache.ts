/**
 * JSON values in Redis with a time to live, for answers from outside services
 * (setlist.fm searches, Overpass lookups) that every process may reuse. A cached
 * "nothing found" is a value too, so misses are not asked again.
 */
import type { Redis } from 'ioredis';
import type { z } from 'zod';

export class JsonCache {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private key = (name: string) => `${this.keyPrefix}:cache:${name}`;

  /** The cached value when it is there and still matches its schema, else undefined. */
  async get<S extends z.ZodType>(name: string, schema: S): Promise<z.output<S> | undefined> {
    const raw = await this.redis.get(this.key(name));
    if (raw === null) return undefined;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async set(name: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(name), JSON.stringify(value), 'EX', ttlSeconds);
  }

  async getOrLoad<S extends z.ZodType>(name: string, schema: S, ttlSeconds: number, load: () => Promise<z.output<S>>): Promise<z.output<S>> {
    const cached = await this.get(name, schema);
    if (cached !== undefined) return cached;
    const value = await load();
    await this.set(name, value, ttlSeconds);
    return value;
  }
}
