import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorState } from './ErrorState.js';

interface State {
  error: Error | null;
}

/**
 * Catches render errors and failed lazy-chunk downloads (offline, or a deploy replaced
 * the hashed files). React.lazy caches a failed import, so Retry reloads the page.
 */
interface Props {
  children: ReactNode;
  /** Inside the shell: a panel instead of a full page (the shell already has its <main>). */
  inline?: boolean;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Unhandled UI error', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunkFailed = /dynamically imported module|module script|importing a module|Failed to fetch/i.test(error.message);
    const state = (
      <ErrorState
        title={chunkFailed ? "Couldn't load the app" : 'Something went wrong'}
        message={
          chunkFailed
            ? 'Part of the app could not be downloaded. Check your connection and try again.'
            : 'An unexpected error occurred. Reloading the page usually fixes it.'
        }
        onRetry={() => window.location.reload()}
      />
    );
    return this.props.inline ? <div className="view-error">{state}</div> : <main className="page-center">{state}</main>;
  }
}
