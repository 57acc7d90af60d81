import { Router } from 'express';
import { APP_VERSION } from '../version.js';

export type DependencyCheck = () => Promise<void>;
/** Reported in readiness without deciding it: a value, and a warning for the operator. */
export type ReadinessNote = () => Promise<{ value: string; warning?: string }>;

const CHECK_TIMEOUT_MS = 1_000;

function withTimeout<T>(check: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    check()
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

/** Liveness says the process answers; readiness says it can do its work (MySQL and Redis reachable). */
export function healthRoutes(
  checks: Record<string, DependencyCheck>,
  notes: Record<string, ReadinessNote> = {},
  isDraining: () => boolean = () => false,
): Router {
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
    // Shutting down: the load balancer must stop sending requests here, whatever the dependencies say.
    if (isDraining()) {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'draining' });
      return;
    }
    const names = Object.keys(checks);
    const outcomes = await Promise.allSettled(names.map((name) => withTimeout(checks[name]!)));
    const results = Object.fromEntries(
      names.map((name, i) => {
        const outcome = outcomes[i]!;
        return [name, outcome.status === 'fulfilled' ? 'ok' : `down: ${(outcome.reason as Error)?.message ?? outcome.reason}`];
      }),
    );
    const down = names.filter((_, i) => outcomes[i]!.status === 'rejected');
    const noteNames = Object.keys(notes);
    const noteOutcomes = await Promise.allSettled(noteNames.map((name) => withTimeout(notes[name]!)));
    const info: Record<string, string> = {};
    const warnings: string[] = [];
    noteNames.forEach((name, i) => {
      const outcome = noteOutcomes[i]!;
      info[name] = outcome.status === 'fulfilled' ? outcome.value.value : 'unknown';
      if (outcome.status === 'fulfilled' && outcome.value.warning) warnings.push(outcome.value.warning);
    });
    res
      .status(down.length ? 503 : 200)
      .set('Cache-Control', 'no-store')
      .json({
        ...(down.length ? { status: 'unavailable', down } : { status: 'ready' }),
        checks: results,
        ...info,
        ...(warnings.length ? { warnings } : {}),
      });
  });

  return router;
}
