import { useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../lib/errors.js';
import { formatBytes, formatTakenAt, plural } from '../lib/format.js';
import type { RouterOutputs } from '../trpc.js';
import { trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { Loading } from '../ui/Loading.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import './duplicates.css';

/** What photos.duplicates answers by default. */
const PAGE_SIZE = 50;

type DuplicateGroup = RouterOutputs['photos']['duplicates'][number];
type GroupPhoto = DuplicateGroup['photos'][number];

/** Duplicate groups and bursts to review: keeping one photo hides the others (never deletes them). */
export function DuplicatesView() {
  const groups = trpc.photos.duplicates.useQuery();
  const utils = trpc.useUtils();
  const listRef = useRef<HTMLOListElement>(null);
  const emptyRef = useRef<HTMLHeadingElement>(null);
  const countRef = useRef<HTMLParagraphElement>(null);
  const [announcement, setAnnouncement] = useState('');
  // After a group is resolved and leaves the list, focus goes to the group now in its place.
  const [focusIndex, setFocusIndex] = useState<number | null>(null);

  const resolve = trpc.photos.resolveDuplicates.useMutation({
    onSuccess: async (_result, { groupId, keepPhotoId }) => {
      const group = groups.data?.find((g) => g.id === groupId);
      const kept = group?.photos.find((photo) => photo.id === keepPhotoId);
      const hidden = (group?.photos.length ?? 1) - 1;
      const index = Math.max(0, groups.data?.findIndex((g) => g.id === groupId) ?? 0);
      setAnnouncement(`Kept ${kept?.fileName ?? 'the photo'}; ${plural(hidden, 'other photo')} hidden.`);
      await utils.photos.duplicates.invalidate();
      setFocusIndex(index);
    },
  });

  useEffect(() => {
    if (focusIndex === null || groups.isFetching) return;
    const headings = listRef.current?.querySelectorAll<HTMLElement>('[data-group-heading]');
    const target = headings?.[Math.min(focusIndex, headings.length - 1)] ?? emptyRef.current ?? countRef.current;
    target?.focus();
    setFocusIndex(null);
  }, [focusIndex, groups.isFetching, groups.data]);

  let content;
  if (groups.data) {
    content =
      groups.data.length === 0 ? (
        <div className="empty-state">
          <h2 className="empty-state__title" ref={emptyRef} tabIndex={-1}>
            Nothing to review
          </h2>
          <p className="empty-state__text">
            No duplicates or bursts are waiting. Scans look for them as they read your photos.
          </p>
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
                disabled={resolve.isPending}
                error={resolve.error && resolve.variables?.groupId === group.id ? describeError(resolve.error).message : null}
                onKeep={(photoId) => resolve.mutate({ groupId: group.id, keepPhotoId: photoId })}
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
        Copies of the same photo, and bursts of near-identical frames. Choose the one to keep: the others are hidden from
        your history, never deleted, and nothing is hidden unless you choose.
      </p>
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
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </>
  );
}

interface GroupCardProps {
  group: DuplicateGroup;
  pendingPhotoId: number | null;
  disabled: boolean;
  error: string | null;
  onKeep: (photoId: number) => void;
}

function GroupCard({ group, pendingPhotoId, disabled, error, onKeep }: GroupCardProps) {
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
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function PhotoCard({ photo, suggested, pending, disabled, onKeep }: { photo: GroupPhoto; suggested: boolean; pending: boolean; disabled: boolean; onKeep: () => void }) {
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
          {photo.takenAt ? (
            <time dateTime={photo.takenAt.toISOString()}>{formatTakenAt(photo.takenAt, photo.timeZone)}</time>
          ) : (
            'Time unknown'
          )}
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
