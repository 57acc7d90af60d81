import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { formatConcertDate, placeLine } from '../concerts/format.js';
import { describeError, serverFieldErrors } from '../lib/errors.js';
import { plural } from '../lib/format.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { Field } from '../ui/Field.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { byLikelihood, CandidatesPanel, concertLabel, useCandidates, type Candidates } from './Candidates.js';
import type { InboxPhoto } from './hooks.js';
import { PhotoStrip, STRIP_SIZE } from './PhotoStrip.js';
import { useChoosing, type Resolved } from './useChoosing.js';
import { ItemToggle } from './ItemToggle.js';

export type UnmatchedGroup = RouterOutputs['inbox']['list']['unmatched']['groups'][number];

/** Photos shown in the picker before "Show all". */
const PICKER_PAGE = 24;
const PICKER_SIZES = '(min-width: 40rem) 8rem, 30vw';

interface GroupItemProps {
  itemKey: string;
  group: UnmatchedGroup;
  photosById: ReadonlyMap<number, InboxPhoto>;
  onResolved: (resolved: Resolved) => Promise<void>;
  /** Some of the photos were moved or made a concert (`concertId`). */
  onChanged: (message: string, concertId: number) => Promise<void>;
}

/** Unmatched photos of one evening and place: one click on a candidate places them all; a selection goes anywhere. */
export function GroupItem({ itemKey, group, photosById, onResolved, onChanged }: GroupItemProps) {
  const headingId = useId();
  const panelId = useId();
  const [expanded, setExpanded] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const target = useMemo(() => ({ photoIds: group.photoIds }), [group.photoIds]);
  const choosing = useChoosing(target, onResolved);
  const title = group.evening ? formatConcertDate(group.evening) : 'Photos without a date';
  const place = group.place && placeLine(group.place.city, group.place.countryCode);
  // Photos that left the group (moved elsewhere) leave the selection too.
  const selectedIds = group.photoIds.filter((id) => selected.has(id));

  return (
    <li className="card inbox-item" data-testid="inbox-photos" data-item-key={itemKey} aria-labelledby={headingId}>
      <div className="inbox-item__top">
        <div className="inbox-item__text">
          <h3 className="inbox-item__title" id={headingId} tabIndex={-1} data-item-heading>
            {group.evening ? <time dateTime={group.evening}>{title}</time> : title}
          </h3>
          <p className="inbox-item__meta">{[place ?? 'Place unknown', plural(group.photoCount, 'photo')].join(' · ')}</p>
        </div>
        <ItemToggle expanded={expanded} panelId={panelId} action="Sort these photos" subject={title} onToggle={() => setExpanded((open) => !open)} />
      </div>

      {!expanded && (
        <PhotoStrip
          photos={group.photoIds.slice(0, STRIP_SIZE).map((id) => photosById.get(id) ?? null)}
          total={group.photoCount}
          label={`Photos of ${title}`}
        />
      )}

      <div className="inbox-item__panel" id={panelId} hidden={!expanded}>
        {expanded && (
          <>
            <CandidatesPanel target={target} kind="photos" dated={group.evening !== null} choosing={choosing} />
            <PhotoPicker ids={group.photoIds} photosById={photosById} selected={selected} onChange={setSelected} />
            <SelectionActions
              group={group}
              selectedIds={selectedIds}
              disabled={choosing.busy}
              onDone={async (message, concertId) => {
                setSelected(new Set());
                await onChanged(message, concertId);
              }}
            />
          </>
        )}
      </div>
    </li>
  );
}

function PhotoPicker({
  ids,
  photosById,
  selected,
  onChange,
}: {
  ids: readonly number[];
  photosById: ReadonlyMap<number, InboxPhoto>;
  selected: ReadonlySet<number>;
  onChange: (next: ReadonlySet<number>) => void;
}) {
  const [showAll, setShowAll] = useState(false);
  const allRef = useRef<HTMLInputElement>(null);
  const shown = showAll ? ids : ids.slice(0, PICKER_PAGE);
  const count = ids.filter((id) => selected.has(id)).length;
  const all = count === ids.length;
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = count > 0 && !all;
  }, [count, all]);

  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };

  return (
    <fieldset className="inbox-picker">
      <legend className="inbox-picker__legend">Choose photos to add to a concert</legend>
      <label className="inbox-picker__all">
        <input type="checkbox" ref={allRef} checked={all} onChange={() => onChange(all ? new Set() : new Set(ids))} />
        Select all {plural(ids.length, 'photo')}
      </label>
      <ul className="inbox-picker__grid">
        {shown.map((id, i) => {
          const photo = photosById.get(id);
          return (
            <li key={id}>
              <label className="inbox-pick">
                <input type="checkbox" className="inbox-pick__check" checked={selected.has(id)} onChange={() => toggle(id)} />
                <span className="inbox-pick__frame">
                  {photo ? (
                    <PhotoImage className="inbox-pick__img" photo={photo} alt={photo.fileName} sizes={PICKER_SIZES} />
                  ) : (
                    <span className="inbox-pick__blank">Photo {i + 1}</span>
                  )}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      {shown.length < ids.length && (
        <button type="button" className="button button--ghost" onClick={() => setShowAll(true)}>
          Show all {plural(ids.length, 'photo')}
        </button>
      )}
    </fieldset>
  );
}

interface SelectionActionsProps {
  group: UnmatchedGroup;
  selectedIds: number[];
  disabled: boolean;
  onDone: (message: string, concertId: number) => Promise<void>;
}

function SelectionActions({ group, selectedIds, disabled, onDone }: SelectionActionsProps) {
  const [mode, setMode] = useState<'move' | 'create' | null>(null);
  const candidates = useCandidates({ photoIds: group.photoIds });
  const count = selectedIds.length;
  const open = count > 0 ? mode : null;
  const finish = async (message: string, concertId: number) => {
    setMode(null);
    await onDone(message, concertId);
  };
  return (
    <div className="inbox-actions">
      <p className="inbox-actions__count" aria-live="polite">
        {count ? `${plural(count, 'photo')} selected` : 'Select photos to add them to a concert, or to make a concert of them.'}
      </p>
      <div className="inbox-actions__buttons">
        <button
          type="button"
          className="button button--secondary"
          aria-expanded={open === 'move'}
          disabled={!count || disabled}
          onClick={() => setMode(open === 'move' ? null : 'move')}
        >
          Add to a concert…
        </button>
        <button
          type="button"
          className="button button--secondary"
          aria-expanded={open === 'create'}
          disabled={!count || disabled}
          onClick={() => setMode(open === 'create' ? null : 'create')}
        >
          Create a concert…
        </button>
      </div>
      {open === 'move' && <MoveForm selectedIds={selectedIds} around={candidates.data?.concerts ?? []} onDone={finish} />}
      {open === 'create' && <CreateForm evening={group.evening} selectedIds={selectedIds} candidates={candidates.data} onDone={finish} />}
    </div>
  );
}

type ConcertOption = Pick<Candidates['concerts'][number], 'id' | 'concertDate' | 'artist' | 'venue'>;

function MoveForm({
  selectedIds,
  around,
  onDone,
}: {
  selectedIds: number[];
  around: ConcertOption[];
  onDone: (message: string, concertId: number) => Promise<void>;
}) {
  const searchId = useId();
  const selectId = useId();
  const [concertId, setConcertId] = useState('');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const found = trpc.concerts.list.useQuery({ q, limit: 10 }, { enabled: q.length > 0 });
  const move = trpc.photos.move.useMutation();
  const aroundIds = new Set(around.map((concert) => concert.id));
  const results = q ? (found.data?.items ?? []).filter((concert) => !aroundIds.has(concert.id)) : [];
  const options = [...around, ...results];
  const optionLabel = (concert: ConcertOption) => `${concertLabel(concert)}, ${formatConcertDate(concert.concertDate)}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = options.find((concert) => concert.id === Number(concertId));
    if (!chosen) return;
    move.mutate(
      { photoIds: selectedIds, concertId: chosen.id },
      { onSuccess: () => onDone(`${plural(selectedIds.length, 'photo')} added to ${optionLabel(chosen)}.`, chosen.id) },
    );
  };

  return (
    <form className="inbox-form" onSubmit={submit} aria-label="Add the selected photos to a concert">
      <div className="field">
        <label className="field__label" htmlFor={searchId}>
          Find a concert
        </label>
        <input
          id={searchId}
          className="field__input"
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder="Artist, venue or city"
          autoComplete="off"
        />
        {found.isFetching && q && <p className="field__hint">Searching…</p>}
        {found.error && q && <p className="field__error">Search failed: {describeError(found.error).message}</p>}
      </div>
      <div className="field">
        <label className="field__label" htmlFor={selectId}>
          Concert
        </label>
        <select id={selectId} className="field__input" value={concertId} onChange={(event) => setConcertId(event.target.value)} required>
          <option value="">{options.length ? 'Choose a concert' : 'No concert found yet: search above'}</option>
          {around.length > 0 && (
            <optgroup label="Around that evening">
              {around.map((concert) => (
                <option key={concert.id} value={concert.id}>
                  {optionLabel(concert)}
                </option>
              ))}
            </optgroup>
          )}
          {results.length > 0 && (
            <optgroup label="Search results">
              {results.map((concert) => (
                <option key={concert.id} value={concert.id}>
                  {optionLabel(concert)}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      {move.error && (
        <p className="form-alert" role="alert">
          {describeError(move.error).message}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={!concertId || move.isPending} aria-busy={move.isPending}>
        {move.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
        Add {plural(selectedIds.length, 'photo')}
      </button>
    </form>
  );
}

function CreateForm({
  evening,
  selectedIds,
  candidates,
  onDone,
}: {
  evening: string | null;
  selectedIds: number[];
  candidates: Candidates | undefined;
  onDone: (message: string, concertId: number) => Promise<void>;
}) {
  const venueId = useId();
  const listId = useId();
  // Whoever setlist.fm says played that evening is the likeliest answer; the user may type another.
  const suggestions = [
    ...new Set([
      ...byLikelihood(candidates?.setlists ?? [], candidates?.venues ?? []).map((s) => s.artist),
      ...(candidates?.concerts ?? []).flatMap((c) => (c.artist ? [c.artist.name] : [])),
    ]),
  ];
  const [artist, setArtist] = useState<string | null>(null);
  const [date, setDate] = useState(evening ?? '');
  const [venue, setVenue] = useState('');
  const [missing, setMissing] = useState<{ artist?: string; date?: string }>({});
  const create = trpc.concerts.create.useMutation();
  const artistName = artist ?? suggestions[0] ?? '';
  const fieldErrors = serverFieldErrors(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = artistName.trim();
    const problems = { ...(name ? {} : { artist: 'Name the artist you saw' }), ...(date ? {} : { date: 'Give the date of the concert' }) };
    setMissing(problems);
    if (problems.artist || problems.date) return;
    create.mutate(
      { date, artist: { artistName: name }, ...(venue ? { venue: { venueId: Number(venue) } } : {}), photoIds: selectedIds },
      { onSuccess: ({ id }) => onDone(`Created ${name}, ${formatConcertDate(date)}, with ${plural(selectedIds.length, 'photo')}.`, id) },
    );
  };

  return (
    <form className="inbox-form" onSubmit={submit} noValidate aria-label="Create a concert from the selected photos">
      <Field
        label="Artist"
        name="artist"
        value={artistName}
        onChange={(event) => setArtist(event.target.value)}
        list={suggestions.length ? listId : undefined}
        autoComplete="off"
        required
        errors={[missing.artist, ...(fieldErrors['artist'] ?? [])].filter((e): e is string => !!e)}
      />
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      )}
      <Field
        label="Date"
        name="date"
        type="date"
        value={date}
        max={new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}
        onChange={(event) => setDate(event.target.value)}
        required
        errors={[missing.date, ...(fieldErrors['date'] ?? [])].filter((e): e is string => !!e)}
      />
      {(candidates?.venues.length ?? 0) > 0 && (
        <div className="field">
          <label className="field__label" htmlFor={venueId}>
            Venue (optional)
          </label>
          <select id={venueId} className="field__input" value={venue} onChange={(event) => setVenue(event.target.value)}>
            <option value="">Not sure</option>
            {candidates!.venues.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {create.error && !fieldErrors['artist'] && !fieldErrors['date'] && (
        <p className="form-alert" role="alert">
          {describeError(create.error).message}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={create.isPending} aria-busy={create.isPending}>
        {create.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
        Create the concert with {plural(selectedIds.length, 'photo')}
      </button>
    </form>
  );
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
