import { useId } from 'react';
import { describeError } from '../lib/errors.js';
import { formatBytes, formatTakenAt, plural } from '../lib/format.js';
import { ErrorState } from '../ui/ErrorState.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { Loading } from '../ui/Loading.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { useDuplicateReview, type DecidedGroup, type DuplicateGroup } from './useDuplicateReview.js';
import './duplicates.css';

/** What photos.duplicates answers by default. */
const PAGE_SIZE = 50;

type GroupPhoto = DuplicateGroup['photos'][number];

/** Duplicate groups and bursts to review: keep one (the others hidden, never deleted), keep them all, or undo. */
export function DuplicatesView() {
  const { groups, decided, decision, resolve, keepAll, reopen, pending, listRef, emptyRef, countRef } = useDuplicateReview();
  const failedGroup = resolve.error ? resolve.variables?.groupId : keepAll.error ? keepAll.variables?.groupId : undefined;
  const failure = resolve.error ?? keepAll.error;

  let content;
  if (groups.data) {
    content =
      groups.data.length === 0 ? (
        <div className="empty-state">
          <h2 className="empty-state__title" ref={emptyRef} tabIndex={-1}>
            Nothing to review
          </h2>
          <p className="empty-state__text">No duplicates or bursts are waiting. Scans look for them as they read your photos.</p>
          <a className="button button--secondary" href="#/library">
            Scan a photo library
          </a>
        </div>
      ) : (
        <>
          <p className="muted" ref={countRef} tabIndex={-1}>
            {groups.data.length >= PAGE_SIZE
              ? `The ${PAGE_SIZE} most recent groups; more appear as you review these.`
              : `${plural(groups.data.length, 'group')} to review.`}
          </p>
          <ol className="dup-groups" ref={listRef}>
            {groups.data.map((group) => (
              <GroupCard
                key={group.id}
                group={group}
                pendingPhotoId={resolve.isPending && resolve.variables?.groupId === group.id ? resolve.variables.keepPhotoId : null}
                keepingAll={keepAll.isPending && keepAll.variables?.groupId === group.id}
                disabled={pending}
                error={failure && failedGroup === group.id ? describeError(failure).message : null}
                onKeep={(photoId) => resolve.mutate({ groupId: group.id, keepPhotoId: photoId })}
                onKeepAll={() => keepAll.mutate({ groupId: group.id })}
              />
            ))}
          </ol>
        </>
      );
  } else if (groups.error) {
    content = (
      <ErrorState
        title="Couldn't load your duplicates"
        message={describeError(groups.error).message}
        onRetry={() => void groups.refetch()}
        retrying={groups.isFetching}
      />
    );
  } else {
    content = <Loading inline label="Loading duplicates…" />;
  }

  return (
    <>
      <ViewHeading title="Duplicates">Duplicates</ViewHeading>
      <p className="view-intro">
        Copies of the same photo, and bursts of near-identical frames. Choose the one to keep: the others are hidden from your history, never deleted,
        and nothing is hidden unless you choose. Not duplicates? Keep them all. Every choice can be undone.
      </p>
      {decision && (
        <div className="notice dup-decision" data-testid="duplicate-decision">
          <p>{decision.text}</p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => reopen.mutate({ groupId: decision.groupId })}
            disabled={reopen.isPending}
            aria-busy={reopen.isPending}
          >
            Undo
          </button>
        </div>
      )}
      {reopen.error && (
        <p className="form-alert" role="alert">
          {describeError(reopen.error).message}
        </p>
      )}
      {groups.data && groups.error && (
        <ErrorState
          compact
          title="Couldn't refresh the list"
          message={describeError(groups.error).message}
          onRetry={() => void groups.refetch()}
          retrying={groups.isFetching}
        />
      )}
      {content}
      {decided.data && decided.data.length > 0 && (
        <DecidedGroups
          groups={decided.data}
          undoing={reopen.isPending ? (reopen.variables?.groupId ?? null) : null}
          onUndo={(groupId) => reopen.mutate({ groupId })}
        />
      )}
      <p className="visually-hidden" role="status">
        {decision?.text ?? ''}
      </p>
    </>
  );
}

/** The groups already decided, latest first, each with what was chosen and a way back to the review. */
function DecidedGroups({ groups, undoing, onUndo }: { groups: DecidedGroup[]; undoing: number | null; onUndo: (groupId: number) => void }) {
  return (
    <details className="card dup-decided" data-testid="duplicates-decided">
      <summary className="dup-decided__summary">{plural(groups.length, 'group')} you already decided on</summary>
      <ul className="dup-decided__list">
        {groups.map((group) => {
          const kept = group.photos.find((photo) => !photo.hidden && group.decision === 'kept-one');
          return (
            <li key={group.id} className="dup-decided__item" data-testid="decided-group" data-group-id={group.id}>
              <span>
                {group.decision === 'kept-all'
                  ? `Kept all ${plural(group.photos.length, 'photo')} (${group.kind === 'burst' ? 'a burst' : 'not duplicates'})`
                  : `Kept ${kept?.fileName ?? 'one photo'}, ${plural(group.photos.length - 1, 'other')} hidden`}
              </span>
              <button
                type="button"
                className="button button--ghost"
                onClick={() => onUndo(group.id)}
                disabled={undoing !== null}
                aria-busy={undoing === group.id}
              >
                Undo
              </button>
            </li>
          );
        })}
      </ul>
    </details>
  );
}

interface GroupCardProps {
  group: DuplicateGroup;
  pendingPhotoId: number | null;
  keepingAll: boolean;
  disabled: boolean;
  error: string | null;
  onKeep: (photoId: number) => void;
  onKeepAll: () => void;
}

function GroupCard({ group, pendingPhotoId, keepingAll, disabled, error, onKeep, onKeepAll }: GroupCardProps) {
  const headingId = useId();
  const burst = group.kind === 'burst';
  return (
    <li className="card dup-group" data-testid="duplicate-group" data-kind={group.kind} data-group-id={group.id} aria-labelledby={headingId}>
      <div className="dup-group__header">
        <h2 className="dup-group__title" id={headingId} tabIndex={-1} data-group-heading>
          <span className={burst ? 'badge badge--burst' : 'badge badge--duplicate'}>{burst ? 'Burst' : 'Duplicates'}</span>{' '}
          {plural(group.photos.length, 'photo')}
        </h2>
        <p className="muted dup-group__explain">
          {burst
            ? 'Similar frames taken seconds apart. Keep your favourite, or leave them all: nothing is hidden unless you choose.'
            : group.kind === 'exact'
              ? 'The same photo, more than once.'
              : 'The same photo, resized or re-saved.'}
        </p>
      </div>
      <ul className="dup-photos">
        {group.photos.map((photo) => (
          <PhotoCard
            key={photo.id}
            photo={photo}
            suggested={photo.id === group.primaryPhotoId}
            pending={pendingPhotoId === photo.id}
            disabled={disabled}
            onKeep={() => onKeep(photo.id)}
          />
        ))}
      </ul>
      <div className="dup-group__actions">
        <button type="button" className="button button--secondary" onClick={onKeepAll} disabled={disabled} aria-busy={keepingAll}>
          {keepingAll && <span className="spinner spinner--small" aria-hidden="true" />}
          {burst ? 'Keep the whole burst' : 'Keep them all: not duplicates'}
        </button>
      </div>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function PhotoCard({
  photo,
  suggested,
  pending,
  disabled,
  onKeep,
}: {
  photo: GroupPhoto;
  suggested: boolean;
  pending: boolean;
  disabled: boolean;
  onKeep: () => void;
}) {
  const nameId = useId();
  // Real dimensions reserve the thumbnail's space before it loads (no layout shift).
  const width = photo.width ?? 4;
  const height = photo.height ?? 3;
  return (
    <li className={suggested ? 'dup-photo dup-photo--suggested' : 'dup-photo'} data-photo-id={photo.id}>
      <div className="dup-photo__frame" style={{ aspectRatio: `${width} / ${height}` }}>
        <PhotoImage className="dup-photo__img" photo={photo} alt={photo.fileName} sizes="(min-width: 900px) 25vw, 50vw" />
        {suggested && <span className="dup-photo__flag">Suggested best</span>}
      </div>
      <div className="dup-photo__info">
        <p className="dup-photo__name" id={nameId} title={photo.fileName}>
          {photo.fileName}
        </p>
        <p className="dup-photo__meta">
          {photo.width && photo.height ? `${photo.width} × ${photo.height}` : 'Unknown size'} · {formatBytes(photo.byteSize)}
        </p>
        <p className="dup-photo__meta">
          {photo.takenAt ? <time dateTime={photo.takenAt.toISOString()}>{formatTakenAt(photo.takenAt, photo.timeZone)}</time> : 'Time unknown'}
        </p>
        {photo.hidden && <p className="dup-photo__hidden">Hidden</p>}
      </div>
      <button
        type="button"
        className={suggested ? 'button button--primary button--block' : 'button button--secondary button--block'}
        onClick={onKeep}
        disabled={disabled}
        aria-busy={pending}
        aria-describedby={nameId}
      >
        {pending && <span className="spinner spinner--small" aria-hidden="true" />}
        Keep this one
      </button>
    </li>
  );
}
