import { Router } from 'express';
import { APP_VERSION } from '../version.js';

export type DependencyCheck = () => Promise<void>;

const CHECK_TIMEOUT_MS = 1_000;

function withTimeout(check: DependencyCheck): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    check().then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** Liveness says the process answers; readiness says it can do its work (MySQL and Redis reachable). */
export function healthRoutes(checks: Record<string, DependencyCheck>): Router {
  const router = Router();
  const startedAt = Date.now();

  router.get('/api/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      status: 'ok',
      version: APP_VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    });
  });

  router.get('/api/ready', async (_req, res) => {
    const names = Object.keys(checks);
    const outcomes = await Promise.allSettled(names.map((name) => withTimeout(checks[name]!)));
    const results = Object.fromEntries(
      names.map((name, i) => {
        const outcome = outcomes[i]!;
        return [name, outcome.status === 'fulfilled' ? 'ok' : `down: ${(outcome.reason as Error)?.message ?? outcome.reason}`];
      }),
    );
    const down = names.filter((_, i) => outcomes[i]!.status === 'rejected');
    res
      .status(down.length ? 503 : 200)
      .set('Cache-Control', 'no-store')
      .json(down.length ? { status: 'unavailable', down, checks: results } : { status: 'ready', checks: results });
  });

  return router;
}
