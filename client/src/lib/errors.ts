import { TRPCClientError } from '@trpc/client';

export interface DescribedError {
  /** Human-readable, safe to show as is. */
  message: string;
  /** Worth offering a Retry: the request may well succeed next time. */
  retryable: boolean;
}

interface ErrorShapeData {
  code?: string;
  httpStatus?: number;
  /** The procedure that failed, e.g. "scans.start". */
  path?: string;
  /** Set by the server's errorFormatter on TOO_MANY_REQUESTS. */
  retryAfterSeconds?: number | null;
}

function statusOf(error: TRPCClientError<never>): number | undefined {
  const data = error.data as ErrorShapeData | undefined;
  if (typeof data?.httpStatus === 'number') return data.httpStatus;
  const response = error.meta?.['response'];
  return response instanceof Response ? response.status : undefined;
}

/** The message of a non-tRPC JSON error body, e.g. `{ error: { message } }` from Express middleware. */
function plainBodyMessage(error: TRPCClientError<never>): string | undefined {
  const body = error.meta?.['responseJSON'];
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const inner = (body as { error: unknown }).error;
  if (typeof inner === 'object' && inner !== null && 'message' in inner && typeof inner.message === 'string') {
    return inner.message;
  }
  return undefined;
}

export function describeError(error: unknown): DescribedError {
  if (!(error instanceof TRPCClientError)) {
    return { message: error instanceof Error ? error.message : 'Something went wrong.', retryable: true };
  }
  const data = error.data as ErrorShapeData | undefined;
  // Rate limited: say what, and when to come back; retrying at once would only be refused again.
  if (data?.code === 'TOO_MANY_REQUESTS') {
    return { message: limitMessage(error.message, data.retryAfterSeconds ?? null, data.path), retryable: false };
  }
  const status = statusOf(error);
  const retryable = status === undefined || status >= 500 || status === 408;
  // A tRPC error shape: the server's message is meant for people.
  if (error.data) return { message: error.message, retryable };
  const plain = plainBodyMessage(error);
  if (plain) return { message: plain, retryable };
  if (status !== undefined) {
    return { message: `The server sent an unexpected response (HTTP ${status}). Please try again.`, retryable: true };
  }
  // A body that isn't JSON, e.g. a proxy's HTML error page.
  if (error.cause instanceof SyntaxError) {
    return { message: 'The server sent an unexpected response. Please try again.', retryable: true };
  }
  // No response at all: fetch itself failed.
  return { message: 'Could not reach the server. Check your connection and try again.', retryable: true };
}

/** What the user can do again once a limit lets them, by the procedure that was refused. */
const AGAIN: Record<string, string> = {
  'scans.start': 'You can start another scan',
  'scans.retryFailed': 'You can start another scan',
  'auth.login': 'You can try to log in again',
  'auth.signup': 'You can sign up again',
  'auth.changePassword': 'You can try your password again',
  'auth.deleteAccount': 'You can try your password again',
  'auth.updateProfile': 'You can try your password again',
  upload: 'You can upload more photos',
};

/**
 * A limit in words, in the user's own time: "You can start 5 scans an hour. You can start another scan at
 * 14:32." The server's sentence says what was limited (its "; try again in N s" is replaced by the time).
 */
export function limitMessage(serverMessage: string, retryAfterSeconds: number | null, path?: string, now: number = Date.now()): string {
  const what = serverMessage.replace(/;?\s*try again in [^.;]*\.?$/i, '').trim() || 'Too many requests';
  const again = (path && AGAIN[path]) || 'You can try again';
  return `${what.replace(/[.!]$/, '')}. ${again} ${whenInWords(retryAfterSeconds, now)}.`;
}

/** "in a few seconds", "in 40 seconds", "at 14:32", "tomorrow at 09:05": in the user's locale and time zone. */
export function whenInWords(retryAfterSeconds: number | null, now: number = Date.now()): string {
  if (!retryAfterSeconds || retryAfterSeconds <= 0) return 'a little later';
  if (retryAfterSeconds <= 10) return 'in a few seconds';
  if (retryAfterSeconds < 60) return `in ${Math.ceil(retryAfterSeconds / 5) * 5} seconds`;
  const at = new Date(now + retryAfterSeconds * 1000);
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(at);
  const sameDay = new Date(now).toDateString() === at.toDateString();
  if (sameDay) return `at ${time}`;
  const tomorrow = new Date(now + 86_400_000).toDateString() === at.toDateString();
  return tomorrow ? `tomorrow at ${time}` : `on ${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(at)}`;
}

export function isRetryable(error: unknown): boolean {
  return describeError(error).retryable;
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as ErrorShapeData | undefined)?.code === 'UNAUTHORIZED';
}

/** The tRPC error code (e.g. 'CONFLICT', 'BAD_REQUEST'), when the server sent one. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? (error.data as ErrorShapeData | undefined)?.code : undefined;
}

/** Field errors from the server's errorFormatter (`data.zodError` is a flattened ZodError). */
export function serverFieldErrors(error: unknown): Partial<Record<string, string[]>> {
  const zodError = (error as { data?: { zodError?: unknown } } | null)?.data?.zodError;
  if (typeof zodError !== 'object' || zodError === null) return {};
  return (zodError as { fieldErrors?: Partial<Record<string, string[]>> }).fieldErrors ?? {};
}
