export function EmptyHistory() {
  return (
    <section className="empty-state" aria-labelledby="empty-history-title">
      <svg className="empty-state__art" viewBox="0 0 64 64" width="64" height="64" aria-hidden="true" focusable="false">
        <rect x="6" y="14" width="52" height="38" rx="6" fill="none" stroke="currentColor" strokeWidth="3" />
        <circle cx="32" cy="33" r="10" fill="none" stroke="currentColor" strokeWidth="3" />
        <path d="M22 14l4-6h12l4 6" fill="none" stroke="currentColor" strokeWidth="3" strokeLinejoin="round" />
      </svg>
      <h2 className="empty-state__title" id="empty-history-title">
        Your history starts here
      </h2>
      <p className="empty-state__text">No concerts yet — connect a photo library to build your history.</p>
      <a className="button button--primary" href="#/library">
        Connect a photo library
      </a>
    </section>
  );
}
