import { useEffect, useState } from 'react';
import { hashPath, hashQuery, useHash } from '../shell/route.js';
import { Logo } from '../ui/Logo.js';
import { LoginForm } from './LoginForm.js';
import { SignupForm } from './SignupForm.js';

type Mode = 'login' | 'signup';

/** The sign-up page has an address of its own (#/signup), so it can be linked to, and Back returns to logging in. */
export function AuthPages() {
  const hash = useHash();
  const mode: Mode = hashPath(hash)[0] === 'signup' ? 'signup' : 'login';
  // Set by account deletion, so the person sees that it happened.
  const deleted = hashQuery(hash).get('account') === 'deleted';
  // Focus moves into the form only when the visitor switched forms, not on first load.
  const [switched, setSwitched] = useState(false);
  // Carried across the switch so a visitor on the wrong form doesn't retype it.
  const [email, setEmail] = useState('');

  useEffect(() => {
    document.title = `${mode === 'login' ? 'Log in' : 'Sign up'} · Concert History`;
  }, [mode]);

  const switchTo = (next: Mode) => {
    // Any other address (a page of the app) is kept for after logging in; switching forms is a page of its own.
    window.location.hash = next === 'signup' ? '#/signup' : '#/login';
    setSwitched(true);
  };

  const formProps = { initialEmail: email, onEmailChange: setEmail, focusOnMount: switched };

  return (
    <div className="auth-layout">
      <header className="auth-hero">
        <Logo className="auth-hero__logo" />
        <p className="auth-hero__brand">Concert History</p>
        <p className="auth-hero__tagline">Turn years of concert photos into a living history of the shows you saw.</p>
      </header>
      <main className="auth-card">
        {deleted && (
          <p className="notice notice--success auth-notice" role="status" data-testid="account-deleted">
            Your account was deleted, with your concert history, photos and libraries. Thank you for using Concert History.
          </p>
        )}
        {mode === 'login' ? (
          <LoginForm key="login" {...formProps} onSwitch={() => switchTo('signup')} />
        ) : (
          <SignupForm key="signup" {...formProps} onSwitch={() => switchTo('login')} />
        )}
      </main>
    </div>
  );
}
