import { useId, useRef, useState, type FormEvent } from 'react';
import { describeError, serverFieldErrors } from '../lib/errors.js';
import { trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Field } from '../ui/Field.js';
import { ArtistCombobox, type ArtistChoice } from './ArtistCombobox.js';
import { Dialog } from './Dialog.js';
import type { ConcertDetail, RouterInputs } from './types.js';

type UpdateInput = RouterInputs['concerts']['update'];
type FieldName = 'artist' | 'venue' | 'date' | 'tour' | 'notes';
type FieldErrors = Partial<Record<FieldName, string[]>>;

const NOTES_MAX = 5000;

/** Tomorrow in UTC: a show may already be on east of Greenwich (the server allows as much). */
function latestDate(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Corrects what the machine got wrong. Only what changed is sent; saving confirms
 * the concert. A new artist, venue or date means another show, so its setlist goes.
 */
export function EditConcertDialog({ concert, onClose, onSaved }: { concert: ConcertDetail; onClose: () => void; onSaved: () => void }) {
  const titleId = useId();
  const warningId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const utils = trpc.useUtils();
  const [artist, setArtist] = useState<ArtistChoice>({ name: concert.artist?.name ?? '', picked: null });
  const [venue, setVenue] = useState(concert.venue?.name ?? '');
  const [date, setDate] = useState(concert.concertDate);
  const [tour, setTour] = useState(concert.tour ?? '');
  const [notes, setNotes] = useState(concert.notes ?? '');
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);

  const update = trpc.concerts.update.useMutation({
    onSuccess: async () => {
      await Promise.all([utils.concerts.invalidate(), utils.inbox.invalidate()]);
      onSaved();
    },
  });

  const artistChanged = artist.picked
    ? artist.picked.id === null || artist.picked.id !== concert.artist?.id
    : artist.name.trim() !== (concert.artist?.name ?? '');
  const venueChanged = venue.trim() !== '' && venue.trim() !== (concert.venue?.name ?? '');
  const dateChanged = date !== concert.concertDate;
  const losesSetlist = !!concert.setlist?.length && (artistChanged || venueChanged || dateChanged);

  const validate = (): FieldErrors => {
    const errors: FieldErrors = {};
    if (artistChanged && !artist.name.trim()) errors.artist = ["Enter the artist's name"];
    if (concert.venue && !venue.trim()) errors.venue = ["Enter the venue's name: a venue can be changed, not removed"];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.date = ['Enter the date of the concert'];
    else if (date > latestDate()) errors.date = ['The date is in the future'];
    if (notes.length > NOTES_MAX) errors.notes = [`Notes can be at most ${NOTES_MAX} characters`];
    return errors;
  };

  const buildInput = (): UpdateInput => {
    const input: UpdateInput = { id: concert.id };
    if (artistChanged) {
      const { picked } = artist;
      input.artist =
        picked?.id != null
          ? { artistId: picked.id }
          : picked?.mbid
            ? { artistName: picked.name, mbid: picked.mbid, ...(picked.sortName ? { sortName: picked.sortName } : {}) }
            : { artistName: artist.name.trim() };
    }
    if (venueChanged) input.venue = { venueName: venue.trim() };
    if (dateChanged) input.date = date;
    const newTour = tour.trim() || null;
    if (newTour !== (concert.tour ?? null)) input.tour = newTour;
    const newNotes = notes.trim() ? notes : null;
    if (newNotes !== (concert.notes ?? null)) input.notes = newNotes;
    return input;
  };

  const focusField = (name: FieldName) => {
    const element = formRef.current?.elements.namedItem(name);
    if (element instanceof HTMLElement) element.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate();
    const first = (Object.keys(errors) as FieldName[])[0];
    if (first) {
      setClientErrors(errors);
      focusField(first);
      return;
    }
    setClientErrors(null);
    update.mutate(buildInput());
  };

  const server = serverFieldErrors(update.error);
  const errors: FieldErrors = clientErrors ?? {
    artist: server['artist'],
    venue: server['venue'],
    date: server['date'],
    tour: server['tour'],
    notes: server['notes'],
  };
  const fieldError = (Object.values(errors) as Array<string[] | undefined>).some((list) => list?.length);
  const formError = update.error && !clientErrors && !fieldError ? describeError(update.error) : null;

  return (
    <Dialog labelledBy={titleId} onClose={onClose} className="concert-dialog--form">
      <form ref={formRef} className="concert-form" onSubmit={onSubmit} noValidate>
        <h2 className="concert-dialog__title" id={titleId}>
          Edit concert
        </h2>
        <ArtistCombobox label="Artist" value={artist} onChange={setArtist} errors={errors.artist} hint="Pick a suggestion, or type a new name." />
        <Field
          label="Venue"
          name="venue"
          value={venue}
          onChange={(event) => setVenue(event.target.value)}
          errors={errors.venue}
          maxLength={255}
          hint={concert.venue ? undefined : 'The venue where the photos were taken.'}
        />
        <Field
          label="Date"
          name="date"
          type="date"
          value={date}
          onChange={(event) => setDate(event.target.value)}
          errors={errors.date}
          max={latestDate()}
          required
        />
        <Field
          label="Tour"
          name="tour"
          value={tour}
          onChange={(event) => setTour(event.target.value)}
          errors={errors.tour}
          maxLength={255}
          hint="Optional."
        />
        <NotesField value={notes} onChange={setNotes} errors={errors.notes} />
        {losesSetlist && (
          <p className="notice concert-form__warning" id={warningId}>
            The setlist belongs to the show as it was identified: changing the artist, venue or date removes it.
          </p>
        )}
        {formError &&
          (formError.retryable ? (
            <ErrorState
              compact
              title="Couldn't save the concert"
              message={formError.message}
              onRetry={() => update.mutate(buildInput())}
              retrying={update.isPending}
            />
          ) : (
            <p className="form-alert" role="alert">
              {formError.message}
            </p>
          ))}
        <div className="concert-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={update.isPending}
            aria-busy={update.isPending}
            aria-describedby={losesSetlist ? warningId : undefined}
          >
            {update.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function NotesField({ value, onChange, errors }: { value: string; onChange: (value: string) => void; errors: readonly string[] | undefined }) {
  const id = useId();
  const invalid = !!errors && errors.length > 0;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        Notes
      </label>
      <textarea
        id={id}
        className="field__input concert-form__notes"
        name="notes"
        rows={4}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        maxLength={NOTES_MAX}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ''}`}
      />
      <p className="field__hint" id={`${id}-hint`}>
        Who you went with, what you remember. {value.length > NOTES_MAX - 500 ? `${NOTES_MAX - value.length} characters left.` : ''}
      </p>
      {invalid && (
        <p className="field__error" id={`${id}-error`} role="alert">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
