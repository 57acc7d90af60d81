import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { describeError, errorCode, serverFieldErrors } from '../lib/errors.js';
import { procedurePath, trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Field } from '../ui/Field.js';

/** What the person types to show they mean it. */
const CONFIRMATION = 'delete my account';

/**
 * The danger zone: deleting the account and everything of it, after the password
 * and a typed confirmation. Success ends the session, so the app falls back to the
 * log-in page with nothing of this user left in its cache.
 */
export function DeleteAccount() {
  const headingId = useId();
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmationRef = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<{ password?: string; confirmation?: string }>({});

  const remove = trpc.auth.deleteAccount.useMutation({
    onSuccess: async () => {
      // As on log-out: nothing of this user may linger for whoever uses the browser next.
      queryClient.removeQueries({ predicate: (query) => procedurePath(query.queryKey) !== 'auth.me' });
      utils.auth.me.setData(undefined, null);
      // The log-in page says it was done (see AuthPages).
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/login?account=deleted`);
      await utils.auth.me.invalidate();
    },
    onError: (error) => {
      // The submit button was disabled while pending: focus goes where the fix is.
      if (!describeError(error).retryable) passwordRef.current?.select();
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (!password) next.password = 'Enter your password to confirm';
    if (confirmation.trim().toLowerCase() !== CONFIRMATION) next.confirmation = `That doesn't match: type “${CONFIRMATION}”`;
    setErrors(next);
    if (next.password) return passwordRef.current?.focus();
    if (next.confirmation) return confirmationRef.current?.focus();
    remove.mutate({ password });
  };

  const failure = remove.error ? describeError(remove.error) : null;
  // A wrong password belongs to the password field; another refusal is said above the button; a failure to get through gets a retry.
  const passwordRefused = remove.error
    ? (serverFieldErrors(remove.error)['password']?.join(' ') ?? (errorCode(remove.error) === 'UNAUTHORIZED' ? failure?.message : undefined))
    : undefined;
  const passwordError = errors.password ?? passwordRefused;
  const otherRefusal = failure && !failure.retryable && !passwordRefused ? failure.message : null;

  return (
    <section className="card settings-section settings-danger" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        Delete account
      </h2>
      <div className="settings-danger__text">
        <p>Deleting your account removes, for good and at once:</p>
        <ul>
          <li>your concert history: every concert, setlist, note and star;</li>
          <li>the photo thumbnails and uploads kept here, and your connected libraries;</li>
          <li>your scans, duplicate reviews and venue corrections.</li>
        </ul>
        <p>
          The originals in your Google Drive or server folders are not touched. Download your history first if you want to keep it. This cannot be
          undone.
        </p>
      </div>
      <form className="settings-danger__form" onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
        <Field
          ref={passwordRef}
          label="Your password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            setErrors(({ password: _, ...rest }) => rest);
            if (remove.error) remove.reset();
          }}
          errors={passwordError ? [passwordError] : undefined}
        />
        <Field
          ref={confirmationRef}
          label={`Type “${CONFIRMATION}” to confirm`}
          name="confirmation"
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          value={confirmation}
          onChange={(event) => {
            setConfirmation(event.target.value);
            setErrors(({ confirmation: _, ...rest }) => rest);
          }}
          errors={errors.confirmation ? [errors.confirmation] : undefined}
        />
        {otherRefusal && (
          <p className="form-alert" role="alert">
            {otherRefusal}
          </p>
        )}
        {failure?.retryable && (
          <ErrorState
            compact
            focusRetry
            title="Your account was not deleted"
            message={failure.message}
            onRetry={() => remove.variables && remove.mutate(remove.variables)}
            retrying={remove.isPending}
          />
        )}
        <div className="settings-actions">
          <button type="submit" className="button button--danger" disabled={remove.isPending} aria-busy={remove.isPending}>
            {remove.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Delete my account
          </button>
        </div>
        <p className="visually-hidden" role="status">
          {remove.isPending ? 'Deleting your account…' : ''}
        </p>
      </form>
    </section>
  );
}
