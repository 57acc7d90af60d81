/** Opens and closes an inbox item's panel; its name says what for ("Find the concert of Fri, 9 Nov 2012"). */
export function ItemToggle({
  expanded,
  panelId,
  action,
  subject,
  onToggle,
}: {
  expanded: boolean;
  panelId: string;
  action: string;
  subject: string;
  onToggle: () => void;
}) {
  return (
    <button type="button" className="button button--secondary inbox-item__toggle" aria-expanded={expanded} aria-controls={panelId} onClick={onToggle}>
      {expanded ? 'Close' : action}
      <span className="visually-hidden"> of {subject}</span>
    </button>
  );
}
