import { useId, useState, type KeyboardEvent } from 'react';
import type { RouterOutputs } from '../trpc.js';
import { trpc } from '../trpc.js';
import { useDebouncedValue } from './useDebouncedValue.js';

export type ArtistSuggestion = RouterOutputs['artists']['search'][number];

export interface ArtistChoice {
  name: string;
  /** The suggestion picked, when the name came from one; null for free text. */
  picked: ArtistSuggestion | null;
}

interface ArtistComboboxProps {
  value: ArtistChoice;
  onChange: (value: ArtistChoice) => void;
  label: string;
  hint?: string;
  errors?: readonly string[] | undefined;
}

/**
 * An artist's name with suggestions as you type (ours first, then setlist.fm's):
 * pick one with the arrows and Enter, or keep typing to name an artist nobody knows yet.
 */
export function ArtistCombobox({ value, onChange, label, hint, errors }: ArtistComboboxProps) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const text = useDebouncedValue(value.name.trim(), 250);
  const search = trpc.artists.search.useQuery(
    { q: text, limit: 8 },
    { enabled: open && text.length > 0 && value.picked === null, staleTime: 60 * 60_000 },
  );
  const suggestions = open && value.picked === null && text.length > 0 ? (search.data ?? []) : [];
  const expanded = suggestions.length > 0;
  const invalid = !!errors && errors.length > 0;

  const pick = (suggestion: ArtistSuggestion) => {
    onChange({ name: suggestion.name, picked: suggestion });
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      if (suggestions.length) setActive((index) => (index + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (suggestions.length) setActive((index) => (index <= 0 ? suggestions.length - 1 : index - 1));
    } else if (event.key === 'Enter' && expanded && active >= 0) {
      event.preventDefault();
      const suggestion = suggestions[active];
      if (suggestion) pick(suggestion);
    } else if (event.key === 'Escape' && expanded) {
      // Closes the list, not the dialog around it.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div className="field combobox">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="field__input"
        type="text"
        role="combobox"
        name="artist"
        autoComplete="off"
        maxLength={255}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={[hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(' ') || undefined}
        value={value.name}
        onChange={(event) => {
          onChange({ name: event.target.value, picked: null });
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <div className="combobox__list" id={listId} role="listbox" aria-label={`${label} suggestions`} hidden={!expanded}>
        {suggestions.map((suggestion, index) => (
          // biome-ignore lint/a11y/useFocusableInteractive lint/a11y/useKeyWithClickEvents: the combobox pattern with aria-activedescendant: focus stays in the input, whose keydown handler picks with the arrows and Enter.
          <div
            key={suggestion.id ?? `mbid-${suggestion.mbid ?? suggestion.name}`}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'combobox__option is-active' : 'combobox__option'}
            // Before the input's blur: the click must land while the list is still there.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(suggestion)}
          >
            <span>{suggestion.name}</span>
            {suggestion.id === null && <span className="combobox__source">from setlist.fm</span>}
          </div>
        ))}
      </div>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {value.picked && <p className="field__hint">Picked from the suggestions.</p>}
      {invalid && (
        <p className="field__error" id={errorId} role="alert">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
