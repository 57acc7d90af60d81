import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { uniqueEmail } from './test-env.js';
import type { AppRouter } from '../../server/trpc/router.js';

/** Remembers the session cookie like a browser would (one cookie is all the app sets). */
export class CookieJar {
  cookie: string | undefined;

  capture(response: Response) {
    const setCookie = response.headers.get('set-cookie');
    if (!setCookie) return;
    const pair = setCookie.split(';')[0]!;
    // An expired cookie (logout) clears the jar.
    this.cookie = /expires=Thu, 01 Jan 1970/i.test(setCookie) ? undefined : pair;
  }
}

/**
 * A real tRPC client over HTTP (subscriptions over SSE) with a cookie jar and the browser's Origin header;
 * `headers` go along on queries and mutations (e.g. X-Forwarded-For).
 */
export function trpcHttpClient(baseUrl: string, jar = new CookieJar(), headers: Record<string, string> = {}) {
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${baseUrl}/trpc`,
          transformer: superjson,
          // Node 20 has no EventSource; this one lets us send the session cookie like a browser.
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...(jar.cookie ? { cookie: jar.cookie } : {}) } }),
          }),
        }),
        false: httpLink({
          url: `${baseUrl}/trpc`,
          transformer: superjson,
          headers: () => ({ ...headers, origin: baseUrl, ...(jar.cookie ? { cookie: jar.cookie } : {}) }),
          fetch: async (input, init) => {
            const response = await fetch(input, init);
            jar.capture(response);
            return response;
          },
        }),
      }),
    ],
  });
  return { client, jar };
}

/** A new account signed up through the API, with its logged-in client. */
export async function signedUpClient(baseUrl: string, label: string, password = 'correct horse battery') {
  const { client, jar } = trpcHttpClient(baseUrl);
  const email = uniqueEmail(label);
  const user = await client.auth.signup.mutate({ email, password, name: 'Fan' });
  return { client, jar, user, email };
}

/** The tRPC error a call must fail with; fails the test when the call succeeds or fails otherwise. */
export async function trpcFailure(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error('expected the call to fail');
}
