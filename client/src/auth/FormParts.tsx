import type { ReactNode } from 'react';
import type { DescribedError } from '../lib/errors.js';
import { ErrorState } from '../ui/ErrorState.js';

export function FormError({ error, onRetry, retrying }: { error: DescribedError | null; onRetry: () => void; retrying: boolean }) {
  if (!error) return null;
  if (error.retryable) {
    return <ErrorState compact focusRetry title="That didn't go through" message={error.message} onRetry={onRetry} retrying={retrying} />;
  }
  return (
    <p className="form-alert" role="alert">
      {error.message}
    </p>
  );
}

/** Keeps its label while pending (stable for tests and screen readers); the spinner is decorative. */
export function SubmitButton({ pending, children }: { pending: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="button button--primary button--block" disabled={pending} aria-busy={pending}>
      {pending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
      {children}
    </button>
  );
}
