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
