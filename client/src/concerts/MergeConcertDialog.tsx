import { keepPreviousData } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { describeError } from '../lib/errors.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Dialog } from './Dialog.js';
import { formatConcertDate, UNKNOWN_ARTIST } from './format.js';
import type { ConcertDetail } from './types.js';
import { useDebouncedValue } from './useDebouncedValue.js';

type Candidate = RouterOutputs['concerts']['list']['items'][number];
type Direction = 'into-this' | 'into-other';

interface ConcertLabel {
  artist: { name: string } | null;
  venue: { name: string } | null;
  concertDate: string;
}

function describeConcert(concert: ConcertLabel): string {
  return `${concert.artist?.name ?? UNKNOWN_ARTIST}${concert.venue ? ` at ${concert.venue.name}` : ''}, ${formatConcertDate(concert.concertDate, { weekday: false })}`;
}

/**
 * Two concerts that are one show (say, matching split an evening in two). The user
 * picks the other one and which of the two stays; the other's photos move into it
 * and its details fill the blanks of the one that stays.
 */
export function MergeConcertDialog({
  concert,
  onClose,
  onMerged,
}: {
  concert: ConcertDetail;
  onClose: () => void;
  onMerged: (keptId: number) => void;
}) {
  const titleId = useId();
  const searchId = useId();
  const introId = useId();
  const utils = trpc.useUtils();
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 300);
  const [chosen, setChosen] = useState<Candidate | null>(null);
  const [direction, setDirection] = useState<Direction>('into-this');
  const [missingChoice, setMissingChoice] = useState(false);
  const candidates = trpc.concerts.list.useQuery({ limit: 10, ...(q ? { q } : {}) }, { placeholderData: keepPreviousData });
  const others = candidates.data?.items.filter((item) => item.id !== concert.id) ?? [];

  const merge = trpc.concerts.merge.useMutation({
    onSuccess: async (_result, { targetId }) => {
      const others = [utils.concerts.list.invalidate(), utils.concerts.years.invalidate(), utils.photos.list.invalidate(), utils.inbox.invalidate()];
      if (targetId === concert.id) {
        await Promise.all([utils.concerts.get.invalidate({ id: concert.id }), ...others]);
        onMerged(targetId);
      } else {
        // This concert is gone: leave it before anything asks for it again.
        onMerged(targetId);
        void utils.concerts.get.invalidate(undefined, { refetchType: 'none' });
        void Promise.all(others);
      }
    },
  });

  const mergeInput = (other: Candidate) =>
    direction === 'into-this' ? { targetId: concert.id, sourceIds: [other.id] } : { targetId: other.id, sourceIds: [concert.id] };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) {
      setMissingChoice(true);
      document.getElementById(searchId)?.focus();
      return;
    }
    merge.mutate(mergeInput(chosen));
  };

  const current = describeConcert(concert);
  const error = merge.error ? describeError(merge.error) : null;

  return (
    <Dialog labelledBy={titleId} describedBy={introId} onClose={onClose} className="concert-dialog--form">
      <form className="concert-form" onSubmit={onSubmit} noValidate>
        <h2 className="concert-dialog__title" id={titleId}>
          Merge with another concert
        </h2>
        <p className="muted" id={introId}>
          When two concerts are really one show. Photos move to the concert that stays, details it lacks are taken from the other, and the other is
          removed. No photo is deleted.
        </p>

        <div className="field">
          <label className="field__label" htmlFor={searchId}>
            Find the other concert
          </label>
          <input
            id={searchId}
            className="field__input"
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="Artist, venue or city"
            autoComplete="off"
            maxLength={100}
            aria-invalid={missingChoice && !chosen ? true : undefined}
          />
        </div>

        <fieldset className="merge-candidates" aria-busy={candidates.isFetching}>
          <legend className="field__label">The other concert</legend>
          {candidates.error && !candidates.data ? (
            <ErrorState
              compact
              title="Couldn't search your concerts"
              message={describeError(candidates.error).message}
              onRetry={() => void candidates.refetch()}
              retrying={candidates.isFetching}
            />
          ) : !candidates.data ? (
            <p className="muted">Searching…</p>
          ) : others.length === 0 ? (
            <p className="muted">{q ? `No other concert matches “${q}”.` : 'You have no other concert.'}</p>
          ) : (
            <ul className="merge-candidates__list">
              {others.map((other) => (
                <li key={other.id}>
                  <label className="choice">
                    <input type="radio" name="other" value={other.id} checked={chosen?.id === other.id} onChange={() => setChosen(other)} />
                    <span>{describeConcert(other)}</span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          {missingChoice && !chosen && (
            <p className="field__error" role="alert">
              Choose the concert to merge with.
            </p>
          )}
        </fieldset>

        <fieldset className="merge-direction">
          <legend className="field__label">Which concert stays?</legend>
          <label className="choice">
            <input type="radio" name="direction" value="into-this" checked={direction === 'into-this'} onChange={() => setDirection('into-this')} />
            <span>
              <strong>This one</strong> ({current}): the other is merged into it.
            </span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="direction"
              value="into-other"
              checked={direction === 'into-other'}
              onChange={() => setDirection('into-other')}
            />
            <span>
              <strong>The other one</strong>
              {chosen ? ` (${describeConcert(chosen)})` : ''}: this one is merged into it.
            </span>
          </label>
        </fieldset>

        {chosen && (
          <p className="notice" data-testid="merge-summary">
            {direction === 'into-this'
              ? `“${describeConcert(chosen)}” will be merged into “${current}”, then removed.`
              : `“${current}” will be merged into “${describeConcert(chosen)}”, then removed.`}
          </p>
        )}

        {error &&
          (error.retryable ? (
            <ErrorState
              compact
              title="Couldn't merge the concerts"
              message={error.message}
              onRetry={() => chosen && merge.mutate(mergeInput(chosen))}
              retrying={merge.isPending}
            />
          ) : (
            <p className="form-alert" role="alert">
              {error.message}
            </p>
          ))}

        <div className="concert-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={merge.isPending} aria-busy={merge.isPending}>
            {merge.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Merge
          </button>
        </div>
      </form>
    </Dialog>
  );
}
