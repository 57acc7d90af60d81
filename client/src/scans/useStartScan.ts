import { useMutation } from '@tanstack/react-query';
import { getMutationKey } from '@trpc/react-query';
import { isTerminal } from '../../../shared/scan-progress.js';
import { errorCode } from '../lib/errors.js';
import { trpc } from '../trpc.js';

export interface StartedScan {
  scanId: number;
  /** The library was already being scanned: this is that scan. */
  alreadyRunning: boolean;
}

/**
 * scans.start; when the library is already being scanned (CONFLICT) it answers with
 * the running scan instead of an error, so "Scan now" always leads to live progress.
 */
export function useStartScan(onStarted: (scan: StartedScan, sourceId: number) => void) {
  const utils = trpc.useUtils();
  return useMutation({
    // The query client's session check reads the procedure path from the key.
    mutationKey: getMutationKey(trpc.scans.start),
    mutationFn: async (sourceId: number): Promise<StartedScan> => {
      try {
        const { scanId } = await utils.client.scans.start.mutate({ sourceId });
        return { scanId, alreadyRunning: false };
      } catch (error) {
        if (errorCode(error) !== 'CONFLICT') throw error;
        const scans = await utils.scans.list.fetch(undefined, { staleTime: 0 }).catch(() => []);
        const running = scans.find((scan) => scan.sourceId === sourceId && !isTerminal(scan.status));
        if (!running) throw error;
        return { scanId: running.id, alreadyRunning: true };
      }
    },
    onSuccess: (scan, sourceId) => {
      void utils.scans.list.invalidate();
      onStarted(scan, sourceId);
    },
  });
}
