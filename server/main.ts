/**
 * Entrypoint of the web tier: `npm run web`, or `node dist/server/main.js`. One
 * process, or WEB_CONCURRENCY processes on one port (one per core by default in
 * production): see web-cluster.ts.
 */
import cluster from 'node:cluster';
import { loadConfigOrExit } from './config.js';
import { runWebCluster } from './web-cluster.js';
import { runWebServer } from './web-server.js';

const config = loadConfigOrExit();
if (cluster.isPrimary && config.http.processes > 1) runWebCluster(config);
else await runWebServer(config);
