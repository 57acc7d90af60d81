interface ErrorStateProps {
  title?: string;
  message: string;
  /** Shown as a Retry button when given. */
  onRetry?: () => void;
  retrying?: boolean;
  /** Inline variant, for use inside a form or under the header. */
  compact?: boolean;
  /** Move focus to Retry when shown, e.g. after the control that failed was disabled. */
  focusRetry?: boolean;
}

export function ErrorState({
  title = 'Something went wrong',
  message,
  onRetry,
  retrying = false,
  compact = false,
  focusRetry = false,
}: ErrorStateProps) {
  return (
    <div className={compact ? 'error-state error-state--compact' : 'error-state'}>
      <div role="alert">
        <p className="error-state__title">{title}</p>
        <p className="error-state__message">{message}</p>
      </div>
      {onRetry && (
        // biome-ignore lint/a11y/noAutofocus: opt-in focus management (focusRetry): the control that failed was disabled, so focus would otherwise fall back to the page.
        <button type="button" className="button button--secondary" onClick={onRetry} disabled={retrying} aria-busy={retrying} autoFocus={focusRetry}>
          {retrying && <span className="spinner spinner--small" aria-hidden="true" />}
          Retry
        </button>
      )}
    </div>
  );
}
