import { useId, useState } from 'react';
import { formatConcertDate } from '../concerts/format.js';
import { describeError } from '../lib/errors.js';
import { useAddAct } from './useFestivalEdits.js';

/** An act setlist.fm does not list, added to one of the festival's days. */
export function AddActForm({ festivalId, days }: { festivalId: number; days: readonly string[] }) {
  const headingId = useId();
  const artistId = useId();
  const dayId = useId();
  const stageId = useId();
  const [artist, setArtist] = useState('');
  const [day, setDay] = useState(days[0] ?? '');
  const [stage, setStage] = useState('');
  const [added, setAdded] = useState('');
  const addAct = useAddAct();

  return (
    <section className="card festival-add" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        Add an act
      </h2>
      <p className="muted">Someone you saw who isn't on the lineup: add them, then assign their photos.</p>
      <form
        className="festival-add__form"
        onSubmit={(event) => {
          event.preventDefault();
          const name = artist.trim();
          addAct.mutate(
            { festivalId, dayDate: day, artist: { artistName: name }, ...(stage.trim() ? { stage: stage.trim() } : {}) },
            {
              onSuccess: () => {
                setAdded(`${name} added to ${formatConcertDate(day)}.`);
                setArtist('');
                setStage('');
              },
            },
          );
        }}
      >
        <div className="field festival-add__artist">
          <label className="field__label" htmlFor={artistId}>
            Artist
          </label>
          <input
            id={artistId}
            className="field__input"
            value={artist}
            onChange={(event) => setArtist(event.target.value)}
            maxLength={255}
            autoComplete="off"
            required
          />
        </div>
        <div className="field festival-add__day">
          <label className="field__label" htmlFor={dayId}>
            Day
          </label>
          <select id={dayId} className="field__input" value={day} onChange={(event) => setDay(event.target.value)}>
            {days.map((date) => (
              <option key={date} value={date}>
                {formatConcertDate(date)}
              </option>
            ))}
          </select>
        </div>
        <div className="field festival-add__stage">
          <label className="field__label" htmlFor={stageId}>
            Stage <span className="muted">(optional)</span>
          </label>
          <input id={stageId} className="field__input" value={stage} onChange={(event) => setStage(event.target.value)} maxLength={255} />
        </div>
        <button type="submit" className="button button--secondary festival-add__submit" disabled={addAct.isPending} aria-busy={addAct.isPending}>
          {addAct.isPending && <span className="spinner spinner--small" aria-hidden="true" />}
          Add act
        </button>
      </form>
      <p className="festival-add__status" role="status">
        {added}
      </p>
      {addAct.error && (
        <p className="form-alert" role="alert">
          {describeError(addAct.error).message}
        </p>
      )}
    </section>
  );
}
