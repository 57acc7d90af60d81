import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import {
  ConflictError,
  DependencyUnavailableError,
  DomainError,
  ForbiddenError,
  InvalidCredentialsError,
  isRedisUnavailableError,
  NotFoundError,
  RateLimitedError,
  REDIS_UNAVAILABLE_MESSAGE,
  UnauthenticatedError,
  ValidationError,
} from '../errors.js';

const CODES: Array<[new (...args: never[]) => DomainError, TRPC_ERROR_CODE_KEY]> = [
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
  [InvalidCredentialsError, 'UNAUTHORIZED'],
  [UnauthenticatedError, 'UNAUTHORIZED'],
  [ForbiddenError, 'FORBIDDEN'],
  [ValidationError, 'BAD_REQUEST'],
  [RateLimitedError, 'TOO_MANY_REQUESTS'],
  [DependencyUnavailableError, 'SERVICE_UNAVAILABLE'],
];

/** The one place where domain errors become tRPC errors. */
export function toTRPCError(error: DomainError): TRPCError {
  const code = CODES.find(([type]) => error instanceof type)?.[1] ?? 'INTERNAL_SERVER_ERROR';
  return new TRPCError({ code, message: error.message, cause: error });
}

/**
 * The tRPC error for what a procedure threw, when it says more than "internal error":
 * a domain error, or Redis out of reach (503 with a human message, not ioredis's wording).
 */
export function knownTRPCError(cause: unknown): TRPCError | null {
  if (cause instanceof DomainError) return toTRPCError(cause);
  if (isRedisUnavailableError(cause)) return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: REDIS_UNAVAILABLE_MESSAGE, cause });
  return null;
}
