import { useId } from 'react';
import { Dialog } from '../concerts/Dialog.js';
import { describeError } from '../lib/errors.js';
import { plural } from '../lib/format.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';

type Source = RouterOutputs['sources']['list'][number];
export type LibraryAction = 'disconnect' | 'remove';
export type LibraryRemoved = RouterOutputs['sources']['remove'];

/** sources.disconnect or sources.remove, and everything they change refreshed: libraries, scans, and the history built from them. */
export function useLibraryRemoval(onDone: (result: LibraryRemoved, source: Source) => void) {
  const utils = trpc.useUtils();
  const refresh = async () => {
    await Promise.all([
      utils.sources.invalidate(),
      utils.scans.invalidate(),
      utils.concerts.invalidate(),
      utils.photos.invalidate(),
      utils.duplicates.invalidate(),
      utils.inbox.invalidate(),
      utils.stats.invalidate(),
    ]);
  };
  const disconnect = trpc.sources.disconnect.useMutation();
  const remove = trpc.sources.remove.useMutation();
  return {
    pending: disconnect.isPending || remove.isPending,
    error: disconnect.error ?? remove.error,
    reset: () => {
      disconnect.reset();
      remove.reset();
    },
    run: async (action: LibraryAction, source: Source) => {
      const mutation = action === 'disconnect' ? disconnect : remove;
      const result = await mutation.mutateAsync({ sourceId: source.id }).catch(() => null);
      if (!result) return;
      await refresh();
      onDone(result, source);
    },
  };
}

interface RemoveLibraryDialogProps {
  source: Source;
  action: LibraryAction;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

/** The confirmation says which of the two it is, and what stays and what goes. */
export function RemoveLibraryDialog({ source, action, pending, error, onConfirm, onClose }: RemoveLibraryDialogProps) {
  const titleId = useId();
  const textId = useId();
  const failure = error ? describeError(error) : null;
  const photos = source.photoCount > 0 ? plural(source.photoCount, 'photo') : 'no photo yet';
  const where = source.kind === 'gdrive' ? 'in your Google Drive' : source.kind === 'local' ? 'in the folder on the server' : null;

  return (
    <Dialog labelledBy={titleId} describedBy={textId} onClose={onClose} className="concert-dialog--form">
      <div className="concert-form" data-testid={`confirm-${action}`}>
        <h2 className="concert-dialog__title" id={titleId}>
          {action === 'disconnect' ? `Disconnect “${source.label}”?` : `Remove “${source.label}” and its photos?`}
        </h2>
        <div id={textId} className="concert-dialog__text">
          {action === 'disconnect' ? (
            <>
              <p>
                <strong>Your history stays:</strong> its {photos}, the concerts found in them and your duplicate reviews are kept.
              </p>
              <p>
                The library will not be scanned again
                {source.kind === 'gdrive' ? ', and this app’s access to your Google Drive is deleted' : ''}
                {source.rescanSchedule !== 'off' ? '; its automatic rescan stops' : ''}. A scan running now is cancelled. Add the same{' '}
                {source.kind === 'gdrive' ? 'Google account' : 'folder'} again to reconnect it.
              </p>
            </>
          ) : (
            <>
              <p>
                <strong>Its {photos} will be deleted</strong> from your history
                {source.kind === 'upload' ? ', with the uploaded files kept here' : ', with their thumbnails'}. Concerts found only in these photos
                are deleted too; concerts that also have photos from your other libraries keep those.
              </p>
              <p>
                {where ? `The originals ${where} are not touched. ` : ''}A scan running now is cancelled. This cannot be undone: to keep the history,
                disconnect the library instead.
              </p>
            </>
          )}
        </div>
        {failure &&
          (failure.retryable ? (
            <ErrorState
              compact
              focusRetry
              title={`Couldn't ${action} the library`}
              message={failure.message}
              onRetry={onConfirm}
              retrying={pending}
            />
          ) : (
            <p className="form-alert" role="alert">
              {failure.message}
            </p>
          ))}
        <div className="concert-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose} data-autofocus>
            Keep it
          </button>
          <button
            type="button"
            className={action === 'disconnect' ? 'button button--primary' : 'button button--danger'}
            onClick={onConfirm}
            disabled={pending}
            aria-busy={pending}
          >
            {pending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            {action === 'disconnect' ? 'Disconnect, keep the history' : 'Remove library and photos'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
