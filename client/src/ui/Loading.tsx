import { Logo } from './Logo.js';

/** Full page by default; `inline` inside a view (a section still loading its data). */
export function Loading({ label = 'Loading…', inline = false }: { label?: string; inline?: boolean }) {
  if (inline) {
    return (
      <div className="loading loading--inline" role="status" aria-live="polite">
        <span className="spinner spinner--small" aria-hidden="true" />
        <span>{label}</span>
      </div>
    );
  }
  return (
    <div className="page-center loading" role="status" aria-live="polite">
      <Logo className="loading__logo" />
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
