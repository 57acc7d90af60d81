import { useId, useState } from 'react';
import { Dialog } from '../concerts/Dialog.js';
import type { ConcertDetail } from '../concerts/types.js';
import { describeError } from '../lib/errors.js';
import { plural } from '../lib/format.js';
import { trpc } from '../trpc.js';
import { useFestivalRefresh } from './useFestivalRefresh.js';

/**
 * "This concert was a festival": it becomes a festival of its evening at its venue
 * (with setlist.fm's lineup there, when known), and its photos go back to wait in
 * clusters, to be assigned act by act.
 */
export function FromConcertDialog({
  concert,
  title,
  onClose,
  onCreated,
}: {
  concert: ConcertDetail;
  title: string;
  onClose: () => void;
  onCreated: (festivalId: number) => void;
}) {
  const titleId = useId();
  const textId = useId();
  const nameId = useId();
  const [name, setName] = useState('');
  const refresh = useFestivalRefresh();
  const fromConcert = trpc.festivals.fromConcert.useMutation({
    onSuccess: ({ festivalId }) => {
      onCreated(festivalId);
      void refresh();
    },
  });
  const submit = () => fromConcert.mutate({ concertId: concert.id, ...(name.trim() ? { name: name.trim() } : {}) });

  return (
    <Dialog labelledBy={titleId} describedBy={textId} onClose={onClose} className="concert-dialog--form">
      <form
        className="concert-form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <h2 className="concert-dialog__title" id={titleId}>
          Was this a festival?
        </h2>
        <div id={textId} className="concert-dialog__text">
          <p>
            <strong>{title}</strong> becomes a festival, with the lineup setlist.fm knows at this place that day.
          </p>
          <p>
            {concert.photoCount > 0
              ? `Its ${plural(concert.photoCount, 'photo')} then wait in groups on the festival's page, where you choose the act each group was of.`
              : 'It has no photos yet.'}
          </p>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={nameId}>
            Festival name <span className="muted">(optional)</span>
          </label>
          <input id={nameId} className="field__input" value={name} onChange={(event) => setName(event.target.value)} maxLength={255} />
        </div>
        {fromConcert.error && (
          <p className="form-alert" role="alert">
            {describeError(fromConcert.error).message}
          </p>
        )}
        <div className="concert-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={fromConcert.isPending} aria-busy={fromConcert.isPending}>
            {fromConcert.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Make it a festival
          </button>
        </div>
      </form>
    </Dialog>
  );
}
