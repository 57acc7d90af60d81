import { useId, useRef, useState, type FormEvent } from 'react';
import { describeError, serverFieldErrors } from '../lib/errors.js';
import { trpc } from '../trpc.js';
import { Field } from '../ui/Field.js';

const MIN_LENGTH = 10;

/** A new password; every other device where this account is logged in is logged out by it. */
export function ChangePassword() {
  const headingId = useId();
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string }>({});

  const change = trpc.auth.changePassword.useMutation({
    onSuccess: () => {
      setCurrent('');
      setNext('');
    },
    onError: (error) => {
      if (/current password/i.test(error.message)) currentRef.current?.select();
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!current) found.current = 'Enter your current password';
    if (next.length < MIN_LENGTH) found.next = `Password must be at least ${MIN_LENGTH} characters`;
    setErrors(found);
    if (found.current) return currentRef.current?.focus();
    if (found.next) return nextRef.current?.focus();
    change.mutate({ currentPassword: current, newPassword: next });
  };

  const failure = change.error ? describeError(change.error) : null;
  const fieldErrors = change.error ? serverFieldErrors(change.error) : {};
  const currentRefused = failure && /current password/i.test(failure.message) ? failure.message : undefined;
  const currentError = errors.current ?? currentRefused ?? fieldErrors['currentPassword']?.join(' ');
  const nextError = errors.next ?? fieldErrors['newPassword']?.join(' ');
  const otherFailure = failure && !currentRefused && !fieldErrors['newPassword'] ? failure.message : null;
  const ended = change.data?.endedSessions;

  return (
    <section className="card settings-section" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        Password
      </h2>
      <form className="settings-password" onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
        <Field
          ref={currentRef}
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(event) => {
            setCurrent(event.target.value);
            setErrors(({ current: _, ...rest }) => rest);
            if (change.error) change.reset();
          }}
          errors={currentError ? [currentError] : undefined}
        />
        <Field
          ref={nextRef}
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_LENGTH} characters. Other devices where you are logged in will be logged out.`}
          value={next}
          onChange={(event) => {
            setNext(event.target.value);
            setErrors(({ next: _, ...rest }) => rest);
          }}
          errors={nextError ? [nextError] : undefined}
        />
        {otherFailure && (
          <p className="form-alert" role="alert">
            {otherFailure}
          </p>
        )}
        <div className="settings-actions">
          <button type="submit" className="button button--primary" disabled={change.isPending} aria-busy={change.isPending}>
            {change.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Change password
          </button>
        </div>
        <p role="status" className={ended === undefined ? 'visually-hidden' : 'settings-note'}>
          {change.isPending
            ? 'Changing your password…'
            : ended === undefined
              ? ''
              : `Password changed. ${ended === 0 ? 'No other device was logged in.' : `Logged out of ${ended} other ${ended === 1 ? 'device' : 'devices'}.`}`}
        </p>
      </form>
    </section>
  );
}
