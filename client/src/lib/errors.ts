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
  // Rate limited: say when to come back; retrying at once would only be refused again.
  if (data?.code === 'TOO_MANY_REQUESTS') {
    const seconds = data.retryAfterSeconds;
    return { message: seconds ? `Too many requests — try again in ${seconds} s` : 'Too many requests — try again later', retryable: false };
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
