import { useId, useState } from 'react';
import { describeError } from '../lib/errors.js';
import { plural } from '../lib/format.js';
import { useSetTimes } from './useFestivalEdits.js';

/**
 * An act's set times, entered once: every waiting cluster they hold goes to the act.
 * Behind a disclosure, so a day's acts stay short to read.
 */
interface Props {
  actId: number;
  artistName: string;
  setStart: string | null;
  setEnd: string | null;
  /** Said by the day, which outlives this form: an act that gets photos moves to the acts seen. */
  onSaved: (message: string) => void;
}

export function SetTimesForm({ actId, artistName, setStart, setEnd, onSaved }: Props) {
  const startId = useId();
  const endId = useId();
  const [start, setStartValue] = useState(setStart ?? '');
  const [end, setEndValue] = useState(setEnd ?? '');
  const save = useSetTimes((assigned) => onSaved(`Set times of ${artistName} saved: ${plural(assigned, 'photo')} placed.`));
  return (
    <details className="festival-times">
      <summary className="festival-times__toggle">
        {setStart ? 'Change set times' : 'Enter set times'}
        <span className="visually-hidden"> of {artistName}</span>
      </summary>
      <form
        className="festival-times__form"
        aria-label={`Set times of ${artistName}`}
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ actId, setStart: start, setEnd: end });
        }}
      >
        <div className="field festival-times__field">
          <label className="field__label" htmlFor={startId}>
            Start
          </label>
          <input id={startId} className="field__input" type="time" value={start} onChange={(event) => setStartValue(event.target.value)} required />
        </div>
        <div className="field festival-times__field">
          <label className="field__label" htmlFor={endId}>
            End
          </label>
          <input id={endId} className="field__input" type="time" value={end} onChange={(event) => setEndValue(event.target.value)} required />
        </div>
        <button type="submit" className="button button--secondary" disabled={save.isPending} aria-busy={save.isPending}>
          {save.isPending && <span className="spinner spinner--small" aria-hidden="true" />}
          Save times
        </button>
        {save.error && (
          <p className="form-alert" role="alert">
            {describeError(save.error).message}
          </p>
        )}
      </form>
    </details>
  );
}
