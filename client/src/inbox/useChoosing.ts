import { useState } from 'react';
import type { InboxChoice, InboxTarget } from '../../../shared/inbox.schema.js';
import { describeError } from '../lib/errors.js';
import { trpc } from '../trpc.js';
import type { Choosing } from './Candidates.js';

export interface Resolved {
  choice: InboxChoice;
  /** What was done, as a sentence for the announcement ("Settled as Hollow Meridian at Paradiso."). */
  message: string;
  concertId: number;
}

/** One item's `inbox.resolve`: which candidate is being applied, and what came of it. */
export function useChoosing(target: InboxTarget, onResolved: (resolved: Resolved) => Promise<void>): Choosing {
  const resolve = trpc.inbox.resolve.useMutation();
  const [pendingKey, setPendingKey] = useState<string | null>(null);
  // From the click until the inbox has been refreshed: the item may leave, or come back changed.
  const [settling, setSettling] = useState(false);
  const busy = resolve.isPending || settling;
  return {
    pendingKey: busy ? pendingKey : null,
    busy,
    error: resolve.error ? describeError(resolve.error).message : null,
    choose(choice, key, message) {
      if (busy) return;
      setPendingKey(key);
      resolve.mutate(
        { target, choice },
        {
          onSuccess: async ({ concertId }) => {
            setSettling(true);
            try {
              await onResolved({ choice, message, concertId });
            } finally {
              setSettling(false);
            }
          },
        },
      );
    },
  };
}
