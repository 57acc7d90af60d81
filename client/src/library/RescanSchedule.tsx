import { useId } from 'react';
import { describeError } from '../lib/errors.js';
import { formatDateTime, plural } from '../lib/format.js';
import { trpc, type RouterOutputs } from '../trpc.js';

type ScheduleInfo = RouterOutputs['sources']['schedules'][number];
type Schedule = ScheduleInfo['schedule'];

const LABELS: Record<Schedule, string> = { off: 'Off', daily: 'Every day', weekly: 'Every week' };

/** A library's automatic rescan: how often, when next, and what the last scheduled run found. */
export function RescanSchedule({ sourceId }: { sourceId: number }) {
  const selectId = useId();
  const utils = trpc.useUtils();
  // One request for all cards: react-query shares the query between them.
  const schedules = trpc.sources.schedules.useQuery();
  const info = schedules.data?.find((item) => item.sourceId === sourceId);
  const set = trpc.sources.setSchedule.useMutation({ onSuccess: () => utils.sources.schedules.invalidate() });
  const schedule = set.variables?.schedule ?? info?.schedule ?? 'off';

  return (
    <div className="rescan-schedule" data-testid={`rescan-schedule-${sourceId}`}>
      <label htmlFor={selectId}>Rescan automatically</label>
      <select
        className="field__input"
        id={selectId}
        value={schedule}
        disabled={!info || set.isPending}
        onChange={(event) => set.mutate({ sourceId, schedule: event.target.value as Schedule })}
      >
        {(Object.keys(LABELS) as Schedule[]).map((value) => (
          <option key={value} value={value}>
            {LABELS[value]}
          </option>
        ))}
      </select>
      {info?.nextRunAt && schedule !== 'off' && (
        <p className="source-card__meta">
          Next run <time dateTime={info.nextRunAt.toISOString()}>{formatDateTime(info.nextRunAt)}</time>
        </p>
      )}
      {info?.lastRun && <LastRun run={info.lastRun} />}
      {set.error && (
        <p className="form-alert" role="alert">
          {describeError(set.error).message}
        </p>
      )}
    </div>
  );
}

function LastRun({ run }: { run: NonNullable<ScheduleInfo['lastRun']> }) {
  const found =
    run.status === 'completed'
      ? run.counts.listed
        ? `found ${plural(run.counts.listed, 'new photo')}, ${plural(run.counts.matched, 'placed at a concert', 'placed at concerts')}`
        : 'found nothing new'
      : run.status;
  return (
    <p className="source-card__meta">
      Last scheduled run <time dateTime={run.startedAt.toISOString()}>{formatDateTime(run.startedAt)}</time>: {found}
    </p>
  );
}
