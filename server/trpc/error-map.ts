import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import {
  ConflictError, DependencyUnavailableError, DomainError, ForbiddenError, InvalidCredentialsError, NotFoundError,
  RateLimitedError, UnauthenticatedError, ValidationError,
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
