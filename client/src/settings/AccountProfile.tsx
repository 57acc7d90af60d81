import { useId, useRef, useState, type FormEvent } from 'react';
import { updateProfileInput } from '../../../shared/auth.schema.js';
import { describeError, serverFieldErrors } from '../lib/errors.js';
import { trpc, type User } from '../trpc.js';
import { Field } from '../ui/Field.js';

/** The account's name and e-mail, changeable; a new e-mail asks for the current password. Seen at once everywhere in the app. */
export function AccountProfile({ user }: { user: User }) {
  const headingId = useId();
  const utils = trpc.useUtils();
  const passwordRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [currentPassword, setCurrentPassword] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'name' | 'email' | 'currentPassword', string>>>({});
  const emailChanged = email.trim().toLowerCase() !== user.email;

  const update = trpc.auth.updateProfile.useMutation({
    onSuccess: (updated) => {
      // The header, this form and every later read show the new name at once.
      utils.auth.me.setData(undefined, updated);
      setCurrentPassword('');
      setName(updated.name);
      setEmail(updated.email);
    },
    onError: (error) => {
      if (/password/i.test(error.message)) passwordRef.current?.select();
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = updateProfileInput.safeParse({ name, email, ...(emailChanged ? { currentPassword } : {}) });
    const found: typeof errors = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) found[issue.path[0] as keyof typeof errors] ??= issue.message;
    }
    if (emailChanged && !currentPassword) found.currentPassword = 'Enter your current password to change your e-mail';
    setErrors(found);
    if (Object.keys(found).length || !parsed.success) return;
    update.mutate(parsed.data);
  };

  const failure = update.error ? describeError(update.error) : null;
  const serverErrors = update.error ? serverFieldErrors(update.error) : {};
  const passwordRefused = failure && /password/i.test(failure.message) ? failure.message : undefined;
  const emailRefused = failure && /e-mail|email/i.test(failure.message) && !passwordRefused ? failure.message : undefined;
  const other = failure && !passwordRefused && !emailRefused && !Object.keys(serverErrors).length ? failure.message : null;
  const unchanged = name.trim() === user.name && !emailChanged;

  return (
    <section className="card settings-section" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        Account
      </h2>
      <form className="settings-profile" onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          maxLength={100}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            if (update.error || update.isSuccess) update.reset();
          }}
          errors={errors.name ? [errors.name] : serverErrors['name']}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
            if (update.error || update.isSuccess) update.reset();
          }}
          errors={errors.email ? [errors.email] : (serverErrors['email'] ?? (emailRefused ? [emailRefused] : undefined))}
        />
        {emailChanged && (
          <Field
            ref={passwordRef}
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            hint="A new e-mail is where you log in from now on: confirm it is you."
            value={currentPassword}
            onChange={(event) => {
              setCurrentPassword(event.target.value);
              if (update.error) update.reset();
            }}
            errors={errors.currentPassword ? [errors.currentPassword] : passwordRefused ? [passwordRefused] : undefined}
          />
        )}
        {other && (
          <p className="form-alert" role="alert">
            {other}
          </p>
        )}
        <div className="settings-actions">
          <button type="submit" className="button button--primary" disabled={update.isPending || unchanged} aria-busy={update.isPending}>
            {update.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Save
          </button>
        </div>
        <p role="status" className={update.isSuccess ? 'settings-note' : 'visually-hidden'} data-testid="profile-saved">
          {update.isSuccess ? 'Saved. Your name and e-mail are updated.' : ''}
        </p>
      </form>
    </section>
  );
}
