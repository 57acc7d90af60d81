import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCReact, getQueryKey } from '@trpc/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';
import { CACHED_VIEW_PROCEDURES } from '../../shared/cached-views.js';
import type { AppRouter } from '../../server/trpc/router.js';
import { MAX_BATCH_SIZE } from '../../shared/trpc-limits.js';
import { isRetryable, isUnauthorized } from './lib/errors.js';

export const trpc = createTRPCReact<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type User = NonNullable<RouterOutputs['auth']['me']>;

export function createTrpcClient() {
  return trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Server-sent events (EventSource): same-origin, so the session cookie goes along; it reconnects by itself.
        true: httpSubscriptionLink({ url: '/trpc', transformer: superjson }),
        // Default fetch: same-origin cookies; mutations are POSTed as application/json, which the CSRF guard requires.
        // Sign-up, login and the other auth mutations go alone (the server refuses them in a batch), and so do
        // the cached views (one GET each, which the server answers from stored bytes, with ETags); other
        // calls are batched, at most as many per request as the server takes.
        false: splitLink({
          condition: (op) => (op.type === 'mutation' && op.path.startsWith('auth.')) || (op.type === 'query' && CACHED_VIEW_PROCEDURES.has(op.path)),
          true: httpLink({ url: '/trpc', transformer: superjson }),
          false: httpBatchLink({ url: '/trpc', transformer: superjson, maxURLLength: 2083, maxItems: MAX_BATCH_SIZE }),
        }),
      }),
    ],
  });
}

/** tRPC query/mutation keys start with the procedure path, e.g. [['auth', 'me'], { type: 'query' }]. */
export function procedurePath(key: readonly unknown[] | undefined): string {
  const path = key?.[0];
  return Array.isArray(path) ? path.join('.') : '';
}

export function createQueryClient(): QueryClient {
  // A procedure answering UNAUTHORIZED means the session ended (expired, logged out elsewhere):
  // re-check auth.me so the app falls back to the login page.
  // (auth.* answers UNAUTHORIZED for a wrong password, which says nothing about the session.)
  const recheckSession = (error: unknown, key: readonly unknown[] | undefined) => {
    if (!isUnauthorized(error) || procedurePath(key).startsWith('auth.')) return;
    void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.auth.me) });
  };

  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => recheckSession(error, query.queryKey) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => recheckSession(error, mutation.options.mutationKey),
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Retrying a 4xx can't help; a dropped connection or a 5xx might.
        retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
      },
    },
  });
  return queryClient;
}
