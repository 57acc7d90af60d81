import { Router } from 'express';
import type { Metrics } from '../observability/metrics.js';

/** GET /metrics for Prometheus. Meant for the internal network: the load balancer should not route it from outside. */
export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res, next) => {
    try {
      res
        .set('Content-Type', metrics.registry.contentType)
        .set('Cache-Control', 'no-store')
        .send(await metrics.text());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
