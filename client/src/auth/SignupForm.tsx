import { useId } from 'react';
import { signupInput } from '../../../shared/auth.schema.js';
import { trpc } from '../trpc.js';
import { Field } from '../ui/Field.js';
import { FormError, SubmitButton } from './FormParts.js';
import { useAuthForm } from './useAuthForm.js';
import { useOnAuthenticated } from './useOnAuthenticated.js';

interface SignupFormProps {
  initialEmail: string;
  onEmailChange: (email: string) => void;
  onSwitch: () => void;
  focusOnMount: boolean;
}

export function SignupForm({ initialEmail, onEmailChange, onSwitch, focusOnMount }: SignupFormProps) {
  const headingId = useId();
  const signup = trpc.auth.signup.useMutation({ onSuccess: useOnAuthenticated() });
  const form = useAuthForm({
    fields: ['name', 'email', 'password'] as const,
    schema: signupInput,
    initialValues: { name: '', email: initialEmail, password: '' },
    mutation: signup,
    // The usual non-field error here is "An account with this email already exists".
    focusOnFormError: 'email',
    focusOnMount,
    onValueChange: (name, value) => name === 'email' && onEmailChange(value),
  });

  return (
    <form ref={form.formRef} className="auth-form" onSubmit={form.onSubmit} noValidate aria-labelledby={headingId}>
      <h1 className="auth-form__title" id={headingId}>
        Create your account
      </h1>
      <p className="auth-form__intro">Start building the history of every show you've seen.</p>

      <Field label="Name" type="text" autoComplete="name" required maxLength={100} errors={form.fieldErrors.name} {...form.bind('name')} />
      <Field
        label="Email"
        type="email"
        inputMode="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        errors={form.fieldErrors.email}
        {...form.bind('email')}
      />
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        maxLength={200}
        hint="At least 10 characters, and not a common password."
        errors={form.fieldErrors.password}
        {...form.bind('password')}
      />

      <FormError error={form.formError} onRetry={form.retry} retrying={form.pending} />
      <SubmitButton pending={form.pending}>Sign up</SubmitButton>

      <p className="auth-form__switch">
        Already have an account?{' '}
        <button type="button" className="link-button" onClick={onSwitch}>
          Go to login
        </button>
      </p>
    </form>
  );
}
