import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { describeError } from '../lib/errors.js';
import { procedurePath, trpc, type User } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Logo } from '../ui/Logo.js';
import { EmptyHistory } from './EmptyHistory.js';

export function AppShell({ user }: { user: User }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const logout = trpc.auth.logout.useMutation({
    onSuccess: async () => {
      // Nothing of this user's may linger in the cache for whoever logs in next.
      queryClient.removeQueries({ predicate: (query) => procedurePath(query.queryKey) !== 'auth.me' });
      utils.auth.me.setData(undefined, null);
      await utils.auth.me.invalidate();
    },
  });

  useEffect(() => {
    document.title = 'Concert History';
    // Tell screen-reader users where they landed after logging in.
    headingRef.current?.focus();
  }, []);

  return (
    <div className="shell">
      <header className="shell-header">
        <div className="shell-header__inner">
          <span className="shell-header__brand">
            <Logo className="shell-header__logo" />
            Concert History
          </span>
          <div className="shell-header__user">
            <span className="avatar" aria-hidden="true">
              {initials(user.name)}
            </span>
            <span className="shell-header__name" data-testid="user-name" title={user.email}>
              {user.name}
            </span>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
              aria-busy={logout.isPending}
            >
              Log out
            </button>
          </div>
        </div>
      </header>

      <main className="shell-main">
        {logout.error && (
          <ErrorState
            compact
            focusRetry
            title="Couldn't log out"
            message={describeError(logout.error).message}
            onRetry={() => logout.mutate()}
            retrying={logout.isPending}
          />
        )}
        <h1 className="shell-main__title" ref={headingRef} tabIndex={-1}>
          Your concerts
        </h1>
        <EmptyHistory />
      </main>
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts;
  return letters.map((part) => Array.from(part)[0]!.toUpperCase()).join('') || '?';
}
