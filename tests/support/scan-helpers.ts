import type { ScanProgress } from '../../shared/scan.schema.js';
import { isTerminal } from '../../shared/scan-progress.js';
import type { trpcHttpClient } from './trpc-http-client.js';

type Client = ReturnType<typeof trpcHttpClient>['client'];

/** Every snapshot the live subscription sends until the scan ends. */
export function watchScan(client: Client, scanId: number, timeoutMs = 120_000): Promise<ScanProgress[]> {
  return new Promise((resolve, reject) => {
    const seen: ScanProgress[] = [];
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`scan ${scanId} did not finish; last: ${JSON.stringify(seen.at(-1))}`));
    }, timeoutMs);
    const subscription = client.scans.onProgress.subscribe(
      { scanId },
      {
        onData(progress) {
          seen.push(progress);
          if (isTerminal(progress.status)) {
            clearTimeout(timer);
            subscription.unsubscribe();
            resolve(seen);
          }
        },
        onError(error) {
          clearTimeout(timer);
          reject(error);
        },
      },
    );
  });
}
