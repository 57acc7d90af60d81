import { Logo } from './Logo.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="page-center loading" role="status" aria-live="polite">
      <Logo className="loading__logo" />
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
