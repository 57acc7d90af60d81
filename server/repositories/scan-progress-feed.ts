/**
 * Fans Redis pub/sub progress messages out to the browsers connected to this web
 * server: one subscriber connection per process, one Redis channel per watched
 * scan, and per watcher only the latest snapshot (at most a few per second).
 */
import type { Redis } from 'ioredis';
import type { ScanProgress } from '../../shared/scan.schema.js';
import { isTerminal } from '../../shared/scan-progress.js';
import type { ScanProgressFeedPort } from '../services/scan.service.js';
import { parseProgressMessage } from './scan-progress.repository.js';

type Listener = (progress: ScanProgress) => void;

export class ScanProgressFeed implements ScanProgressFeedPort {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly subscriber: Redis,
    private readonly channelOf: (scanId: number) => string,
    private readonly minIntervalMs = 250,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      const listeners = this.listeners.get(channel);
      if (!listeners) return;
      const progress = parseProgressMessage(message);
      if (progress) for (const listener of listeners) listener(progress);
    });
  }

  /** Resolves once Redis confirms the subscription, so nothing published afterwards is missed. */
  async open(scanId: number, signal?: AbortSignal): Promise<AsyncGenerator<ScanProgress, void, undefined>> {
    const channel = this.channelOf(scanId);
    let latest: ScanProgress | null = null;
    let wake: (() => void) | null = null;
    const listener: Listener = (progress) => {
      if (!latest || progress.updatedAt >= latest.updatedAt) latest = progress;
      wake?.();
    };
    let listeners = this.listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(channel, listeners);
      await this.subscriber.subscribe(channel);
    }
    listeners.add(listener);
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);

    const release = async () => {
      signal?.removeEventListener('abort', onAbort);
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(channel) === listeners) {
        this.listeners.delete(channel);
        await this.subscriber.unsubscribe(channel).catch(() => {});
      }
    };
    const minIntervalMs = this.minIntervalMs;

    return (async function* updates() {
      try {
        while (!signal?.aborted) {
          if (!latest) await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          const next = latest as ScanProgress | null;
          latest = null;
          if (!next || signal?.aborted) continue;
          yield next;
          if (isTerminal(next.status)) return;
          await new Promise((resolve) => setTimeout(resolve, minIntervalMs));
        }
      } finally {
        await release();
      }
    })();
  }

  async close() {
    this.listeners.clear();
    this.subscriber.disconnect();
  }
}
