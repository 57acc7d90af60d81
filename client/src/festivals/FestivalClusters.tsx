import { useId, useState } from 'react';
import { formatConcertDate } from '../concerts/format.js';
import type { InboxPhoto } from '../inbox/hooks.js';
import { PhotoStrip, STRIP_SIZE } from '../inbox/PhotoStrip.js';
import { describeError } from '../lib/errors.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { ErrorState } from '../ui/ErrorState.js';
import { reasonText, setTimesText } from './reasons.js';
import { useFestivalClusters, type ClusterCandidate, type FestivalCluster, type PendingFestival } from './useFestivalClusters.js';
import '../inbox/inbox.css';
import './festivals.css';

interface Props {
  /** One festival's clusters (its page), or every festival's (the inbox). */
  festivalId?: number;
  /** Only this day's clusters (a day of the festival's page). */
  evening?: string;
  title: string;
}

/**
 * A festival's photos that wait for an act, in clusters (photos taken close together
 * in time and place), each with the day's lineup as one-click answers, best fit first.
 * A cluster leaves the list once assigned; what was done is announced.
 */
export function FestivalClusters({ festivalId, evening, title }: Props) {
  const headingId = useId();
  const { pending, photos, assign } = useFestivalClusters(festivalId);
  const [announcement, setAnnouncement] = useState('');
  const entries = (pending.data ?? [])
    .map((entry) => ({ ...entry, clusters: entry.clusters.filter((cluster) => evening === undefined || cluster.evening === evening) }))
    .filter((entry) => entry.clusters.length > 0);
  const status = (
    <p className="visually-hidden" role="status">
      {announcement}
    </p>
  );

  if (!pending.data) {
    return pending.error ? (
      <ErrorState
        compact
        title="Couldn't load the festival photos to assign"
        message={describeError(pending.error).message}
        onRetry={() => void pending.refetch()}
        retrying={pending.isFetching}
      />
    ) : null;
  }
  if (entries.length === 0) return status;

  const choose = (entry: PendingFestival, cluster: FestivalCluster, candidate: ClusterCandidate) => {
    assign.mutate(
      { festivalId: entry.festival.id, actId: candidate.id, photoIds: cluster.photoIds },
      { onSuccess: ({ assigned }) => setAnnouncement(`${plural(assigned, 'photo')} assigned to ${candidate.artist.name}.`) },
    );
  };
  const showFestival = festivalId === undefined;
  const more = entries.reduce((sum, entry) => sum + entry.more, 0);

  return (
    <section className="festival-clusters" aria-labelledby={headingId} data-testid="festival-clusters">
      {status}
      <h2 className="inbox-section__title" id={headingId}>
        {title}
      </h2>
      <p className="muted">Photos taken close together, one set each, as far as time and place tell. Choose the act they were of.</p>
      {assign.error && (
        <p className="form-alert" role="alert">
          Couldn't assign the photos: {describeError(assign.error).message}
        </p>
      )}
      {entries.map((entry) => (
        <div key={entry.festival.id} className="festival-clusters__festival" data-festival-id={entry.festival.id}>
          {showFestival && (
            <h3 className="festival-clusters__name">
              <a href={hrefOf({ view: 'festival', festivalId: entry.festival.id })}>{entry.festival.name}</a>
            </h3>
          )}
          <ol className="inbox-list">
            {entry.clusters.map((cluster) => (
              <ClusterItem
                key={cluster.photoIds[0]}
                festivalId={entry.festival.id}
                cluster={cluster}
                headingLevel={showFestival ? 'h4' : 'h3'}
                photosById={photos.byId}
                pendingActId={assign.isPending && assign.variables?.photoIds[0] === cluster.photoIds[0] ? assign.variables.actId : null}
                busy={assign.isPending}
                onChoose={(candidate) => choose(entry, cluster, candidate)}
              />
            ))}
          </ol>
        </div>
      ))}
      {more > 0 && <p className="muted">{plural(more, 'more group')} will follow as you assign these.</p>}
    </section>
  );
}

interface ClusterProps {
  festivalId: number;
  cluster: FestivalCluster;
  headingLevel: 'h3' | 'h4';
  photosById: ReadonlyMap<number, InboxPhoto>;
  pendingActId: number | null;
  busy: boolean;
  onChoose: (candidate: ClusterCandidate) => void;
}

function ClusterItem({ festivalId, cluster, headingLevel: Heading, photosById, pendingActId, busy, onChoose }: ClusterProps) {
  const headingId = useId();
  const listId = useId();
  const date = formatConcertDate(cluster.evening);
  const span = cluster.from === cluster.to ? cluster.from : `${cluster.from}–${cluster.to}`;
  const strip = cluster.photoIds.slice(0, STRIP_SIZE).map((id) => photosById.get(id) ?? null);
  return (
    <li
      className="card inbox-item festival-cluster"
      data-testid="festival-cluster"
      data-evening={cluster.evening}
      data-from={cluster.from}
      data-to={cluster.to}
      aria-labelledby={headingId}
    >
      <Heading className="inbox-item__title" id={headingId}>
        <time dateTime={cluster.evening}>{date}</time>, {span}
      </Heading>
      <p className="inbox-item__meta">{plural(cluster.photoIds.length, 'photo')}</p>
      <PhotoStrip photos={strip} total={cluster.photoIds.length} label={`Photos of ${date}, ${span}`} />
      {cluster.candidates.length === 0 && (
        <p className="muted" data-testid="festival-cluster-no-lineup">
          Nobody is on this day's lineup yet: add the act on the <a href={hrefOf({ view: 'festival', festivalId })}>festival's page</a>, then choose
          it here.
        </p>
      )}
      <p className="festival-cluster__ask" id={listId} hidden={cluster.candidates.length === 0}>
        Which act was it?
      </p>
      <ul className="festival-candidates" aria-labelledby={listId}>
        {cluster.candidates.map((candidate) => {
          const pending = pendingActId === candidate.id;
          const times = setTimesText(candidate.setStart, candidate.setEnd);
          const details = [candidate.stage, times, reasonText(candidate.reasons)].filter(Boolean).join(' · ');
          return (
            <li key={candidate.id}>
              <button
                type="button"
                className="festival-candidate"
                data-testid="festival-candidate"
                data-act-id={candidate.id}
                onClick={() => onChoose(candidate)}
                disabled={busy}
                aria-busy={pending}
              >
                <span className="festival-candidate__act">
                  {pending && <span className="spinner spinner--small" aria-hidden="true" />}
                  {candidate.artist.name}
                </span>
                {details && <span className="festival-candidate__why">{details}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </li>
  );
}
