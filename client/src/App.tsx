import { lazy, Suspense, useEffect } from 'react';
import { describeError } from './lib/errors.js';
import { endSession } from './lib/session-events.js';
import { trpc } from './trpc.js';
import { ErrorBoundary } from './ui/ErrorBoundary.js';
import { ErrorState } from './ui/ErrorState.js';
import { Loading } from './ui/Loading.js';

// Separate chunks: a visitor downloads only the side they need first.
const loadAuthPages = () => import('./auth/AuthPages.js');
const loadAppShell = () => import('./shell/AppShell.js');
const AuthPages = lazy(() => loadAuthPages().then((m) => ({ default: m.AuthPages })));
const AppShell = lazy(() => loadAppShell().then((m) => ({ default: m.AppShell })));

export function App() {
  const me = trpc.auth.me.useQuery();
  const loggedOut = me.data === null;

  useEffect(() => {
    // Warm the shell while the visitor types their password, so logging in feels instant.
    if (!loggedOut) return;
    // Whatever the last user left running in the background (an upload) is dropped.
    endSession();
    void loadAppShell().catch(() => {});
  }, [loggedOut]);

  let content;
  // Data wins over a later failed background refetch: keep showing what we know.
  if (me.data !== undefined) {
    content = me.data ? <AppShell user={me.data} /> : <AuthPages />;
  } else if (me.isError) {
    content = (
      <main className="page-center">
        <ErrorState
          title="Couldn't load Concert History"
          message={describeError(me.error).message}
          onRetry={() => void me.refetch()}
          retrying={me.isFetching}
        />
      </main>
    );
  } else {
    content = <Loading />;
  }

  return (
    <ErrorBoundary>
      <Suspense fallback={<Loading />}>{content}</Suspense>
    </ErrorBoundary>
  );
}
