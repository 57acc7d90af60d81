import { useId } from 'react';
import { describeError } from '../lib/errors.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';

type Preferences = RouterOutputs['notifications']['preferences'];
type Kind = 'scan_finished' | 'milestone' | 'on_this_day';

const KINDS: Array<{ kind: Kind; label: string; hint: string }> = [
  { kind: 'scan_finished', label: 'Scan summaries', hint: 'When a scan that found new photos is done.' },
  { kind: 'milestone', label: 'Milestones', hint: 'Your 10th, 25th, 50th, 100th… concert.' },
  { kind: 'on_this_day', label: 'On this day', hint: 'In the morning, the concerts you saw on this date in past years.' },
];

/** Which mails the user gets, and the time zone their mornings are in. */
export function MailPreferences() {
  const headingId = useId();
  const preferences = trpc.notifications.preferences.useQuery();
  let content;
  if (preferences.data) content = <PreferenceForm preferences={preferences.data} />;
  else if (preferences.error) {
    content = (
      <ErrorState
        compact
        title="Couldn't load your mail settings"
        message={describeError(preferences.error).message}
        onRetry={() => void preferences.refetch()}
        retrying={preferences.isFetching}
      />
    );
  } else content = <Loading inline label="Loading your mail settings…" />;

  return (
    <section className="card settings-section" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        Mail
      </h2>
      {content}
    </section>
  );
}

function PreferenceForm({ preferences }: { preferences: Preferences }) {
  const utils = trpc.useUtils();
  const update = trpc.notifications.updatePreferences.useMutation({
    onSuccess: (next) => utils.notifications.preferences.setData(undefined, next),
  });
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // The box follows the click at once; the server's answer then confirms it (or the error below says why not).
  const shown = (kind: Kind) => (update.isPending ? (update.variables?.[kind] ?? preferences[kind]) : preferences[kind]);

  return (
    <>
      {!preferences.mailEnabled && <p className="muted">This server sends no mail at the moment; your choices apply once it does.</p>}
      <ul className="settings-mail">
        {KINDS.map(({ kind, label, hint }) => (
          <li key={kind}>
            <label>
              <input
                type="checkbox"
                checked={shown(kind)}
                disabled={update.isPending}
                onChange={(event) => update.mutate({ [kind]: event.target.checked })}
              />{' '}
              <strong>{label}</strong>
            </label>
            <span className="muted"> {hint}</span>
          </li>
        ))}
      </ul>
      <p className="muted settings-note">
        Mornings are read in {preferences.timeZone ?? 'the time zone of your concerts'}.{' '}
        {browserZone && browserZone !== preferences.timeZone && (
          <button type="button" className="button button--ghost" disabled={update.isPending} onClick={() => update.mutate({ timeZone: browserZone })}>
            Use {browserZone}
          </button>
        )}
      </p>
      {update.error && (
        <p className="form-alert" role="alert">
          {describeError(update.error).message}
        </p>
      )}
    </>
  );
}
