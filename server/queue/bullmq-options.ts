import type { AppConfig } from '../config.js';

/** Every queue and worker uses this prefix, so one Redis can hold several deployments or test runs. */
export function bullPrefix(config: Pick<AppConfig, 'redis'>): string {
  return `${config.redis.keyPrefix}:bull`;
}
