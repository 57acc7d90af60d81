import { useId } from 'react';
import { describeError } from '../lib/errors.js';
import { plural } from '../lib/format.js';
import { trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Dialog } from './Dialog.js';
import type { ConcertDetail } from './types.js';

/** Deleting a concert never deletes a photo: they go back to the unmatched ones, and matching leaves them alone. */
export function DeleteConcertDialog({
  concert,
  title,
  onClose,
  onDeleted,
}: {
  concert: ConcertDetail;
  title: string;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const titleId = useId();
  const textId = useId();
  const utils = trpc.useUtils();
  const remove = trpc.concerts.delete.useMutation({
    onSuccess: () => {
      onDeleted();
      // Marked stale but not asked again now: this page is on its way out, and a refetch would only say "not found".
      void utils.concerts.get.invalidate({ id: concert.id }, { refetchType: 'none' });
      void utils.concerts.list.invalidate();
      void utils.concerts.years.invalidate();
      void utils.photos.list.invalidate();
      void utils.inbox.invalidate();
    },
  });
  const error = remove.error ? describeError(remove.error) : null;

  return (
    <Dialog labelledBy={titleId} describedBy={textId} onClose={onClose} className="concert-dialog--form">
      <div className="concert-form">
        <h2 className="concert-dialog__title" id={titleId}>
          Delete this concert?
        </h2>
        <div id={textId} className="concert-dialog__text">
          <p>
            <strong>{title}</strong> will be removed from your history, with its setlist and notes.
          </p>
          <p>
            {concert.photoCount > 0
              ? `Its ${plural(concert.photoCount, 'photo')} will not be deleted: they become unmatched photos, waiting in the review inbox, where you can add them to another concert.`
              : 'It has no photos.'}
          </p>
        </div>
        {error &&
          (error.retryable ? (
            <ErrorState
              compact
              focusRetry
              title="Couldn't delete the concert"
              message={error.message}
              onRetry={() => remove.mutate({ id: concert.id })}
              retrying={remove.isPending}
            />
          ) : (
            <p className="form-alert" role="alert">
              {error.message}
            </p>
          ))}
        <div className="concert-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose} data-autofocus>
            Keep it
          </button>
          <button
            type="button"
            className="button button--danger"
            onClick={() => remove.mutate({ id: concert.id })}
            disabled={remove.isPending}
            aria-busy={remove.isPending}
          >
            {remove.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Delete concert
          </button>
        </div>
      </div>
    </Dialog>
  );
}
