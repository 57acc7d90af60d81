/**
 * Error reporting to Sentry, for web servers and workers. Without a DSN nothing is
 * initialised, so captureError() is a no-op and nothing leaves the process.
 */
import * as Sentry from '@sentry/node';
import type { AppConfig } from '../config.js';
import { errorWithoutValues } from '../logger.js';
import { APP_VERSION } from '../version.js';

export type SentryRole = 'web' | 'worker';

/** Call first in an entrypoint. Returns whether Sentry is on. */
export function initSentry(config: Pick<AppConfig, 'sentry'>, role: SentryRole): boolean {
  if (!config.sentry) return false;
  Sentry.init({
    dsn: config.sentry.dsn,
    environment: config.sentry.environment,
    tracesSampleRate: config.sentry.tracesSampleRate,
    release: `concert-history@${APP_VERSION}`,
    initialScope: { tags: { role } },
    // No bodies (a login's password), cookies (the session), query strings (signed media URLs) or user addresses.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpBodies: [],
      urlQueryParams: false,
      httpHeaders: { request: { deny: ['cookie', 'authorization', 'x-forwarded-for'] }, response: false },
    },
    includeLocalVariables: false,
    beforeSend: withoutRequestSecrets,
    beforeSendTransaction: withoutRequestSecrets,
  });
  return true;
}

/** A second guard over dataCollection: whatever an integration attaches, these never leave the process. */
function withoutRequestSecrets<T extends Sentry.Event>(event: T): T {
  const request = event.request;
  if (request) {
    delete request.data;
    delete request.cookies;
    delete request.query_string;
    if (request.headers) {
      for (const name of Object.keys(request.headers)) {
        if (/^(cookie|authorization|x-forwarded-for)$/i.test(name)) delete request.headers[name];
      }
    }
  }
  return event;
}

export interface ErrorContext {
  requestId?: string;
  tags?: Record<string, string | number | undefined>;
  extra?: Record<string, unknown>;
}

export function captureError(error: unknown, context: ErrorContext = {}): void {
  if (!Sentry.getClient()) return;
  Sentry.withScope((scope) => {
    if (context.requestId) scope.setTag('requestId', context.requestId);
    for (const [key, value] of Object.entries(context.tags ?? {})) if (value !== undefined) scope.setTag(key, String(value));
    if (context.extra) scope.setExtras(context.extra);
    // Query values (e-mails, hashes) stay here, as they stay out of the logs.
    Sentry.captureException(errorWithoutValues(error));
  });
}

/** Sends what is queued; at shutdown, before the process exits. */
export async function flushSentry(timeoutMs = 2_000): Promise<void> {
  if (Sentry.getClient()) await Sentry.flush(timeoutMs);
}
