/**
 * /metrics when several web processes share a port (web-cluster.ts): whichever
 * process a scrape reaches asks the primary, which gathers every process's registry
 * (prom-client's AggregatorRegistry, over the cluster's IPC channel) and answers
 * with one set of series. Counters and histograms add up; per-cluster facts (the
 * queue depths every process reads from Redis) declare `aggregator: 'first'`.
 */
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQUEST = 'concert-history:cluster-metrics-request';
const RESPONSE = 'concert-history:cluster-metrics-response';
/** prom-client gives its workers 5 s; a scrape waits a little longer for the primary's answer. */
const ANSWER_TIMEOUT_MS = 6_000;

interface MetricsMessage {
  type: string;
  id: string;
  text?: string;
  error?: string;
}

/** What GET /metrics sends: this process's registry, or the cluster's when it is one process of several. */
export function metricsText(registry: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => registry.metrics();
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one makes this process answer the primary's requests for its metrics.
  new AggregatorRegistry();
  const waiting = new Map<string, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: MetricsMessage) => {
    if (message?.type !== RESPONSE) return;
    const request = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) request?.reject(new Error(message.error));
    else request?.resolve(message.text ?? '');
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the cluster primary did not answer with the metrics'));
      }, ANSWER_TIMEOUT_MS);
      waiting.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send!({ type: REQUEST, id } satisfies MetricsMessage);
    });
}

/** In the primary: answers the processes' requests with the aggregated metrics of all of them. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: MetricsMessage) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: RESPONSE, id: message.id, text } satisfies MetricsMessage),
      (error: Error) => worker.isConnected() && worker.send({ type: RESPONSE, id: message.id, error: error.message } satisfies MetricsMessage),
    );
  });
}
