/**
 * Domain errors thrown by services; trpc/init.ts maps each to one tRPC code.
 * Services never import tRPC.
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Missing, or belonging to someone else: the two are indistinguishable on purpose. */
export class NotFoundError extends DomainError {
  constructor(what = 'Resource') {
    super(`${what} not found`);
  }
}

export class ConflictError extends DomainError {}
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('Wrong email or password');
  }
}
export class UnauthenticatedError extends DomainError {
  constructor() {
    super('Please log in first');
  }
}
export class ForbiddenError extends DomainError {}
export class ValidationError extends DomainError {}
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
export class DependencyUnavailableError extends DomainError {}

/**
 * An error of a Redis client that cannot reach its server (down, restarting, failing
 * over): the request-path connections fail fast with these instead of queueing. Callers
 * answer "temporarily unavailable" (503) rather than pass ioredis's wording on.
 */
export function isRedisUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (error.name === 'ReplyError') return /^(LOADING|READONLY|MASTERDOWN)\b/.test(error.message);
  return /stream isn't writeable|connection is closed/i.test(error.message);
}

/** What a person is told when Redis (sessions, limits) cannot be reached. */
export const REDIS_UNAVAILABLE_MESSAGE = 'Service temporarily unavailable: the session store (Redis) cannot be reached. Please retry shortly.';
