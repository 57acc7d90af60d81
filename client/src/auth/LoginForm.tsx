import { useId } from 'react';
import { loginInput } from '../../../shared/auth.schema.js';
import { trpc } from '../trpc.js';
import { Field } from '../ui/Field.js';
import { FormError, SubmitButton } from './FormParts.js';
import { useAuthForm } from './useAuthForm.js';
import { useOnAuthenticated } from './useOnAuthenticated.js';

interface LoginFormProps {
  initialEmail: string;
  onEmailChange: (email: string) => void;
  onSwitch: () => void;
  focusOnMount: boolean;
}

export function LoginForm({ initialEmail, onEmailChange, onSwitch, focusOnMount }: LoginFormProps) {
  const headingId = useId();
  const login = trpc.auth.login.useMutation({ onSuccess: useOnAuthenticated() });
  const form = useAuthForm({
    fields: ['email', 'password'] as const,
    schema: loginInput,
    initialValues: { email: initialEmail, password: '' },
    mutation: login,
    focusOnFormError: 'password',
    focusOnMount,
    onValueChange: (name, value) => name === 'email' && onEmailChange(value),
  });

  return (
    <form ref={form.formRef} className="auth-form" onSubmit={form.onSubmit} noValidate aria-labelledby={headingId}>
      <h1 className="auth-form__title" id={headingId}>
        Welcome back
      </h1>
      <p className="auth-form__intro">Log in to your concert history.</p>

      <Field
        label="Email"
        type="email"
        inputMode="email"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        errors={form.fieldErrors.email}
        {...form.bind('email')}
      />
      <Field
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        errors={form.fieldErrors.password}
        {...form.bind('password')}
      />

      <FormError error={form.formError} onRetry={form.retry} retrying={form.pending} />
      <SubmitButton pending={form.pending}>Log in</SubmitButton>

      <p className="auth-form__switch">
        New here?{' '}
        <button type="button" className="link-button" onClick={onSwitch}>
          Create an account
        </button>
      </p>
    </form>
  );
}
