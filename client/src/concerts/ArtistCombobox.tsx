import { useId, useState } from 'react';
import type { RouterOutputs } from '../trpc.js';
import { trpc } from '../trpc.js';
import { Combobox } from '../ui/Combobox.js';
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
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [open, setOpen] = useState(false);
  const text = useDebouncedValue(value.name.trim(), 250);
  const search = trpc.artists.search.useQuery(
    { q: text, limit: 8 },
    { enabled: open && text.length > 0 && value.picked === null, staleTime: 60 * 60_000 },
  );
  const suggestions = value.picked === null && text.length > 0 ? (search.data ?? []) : [];
  const invalid = !!errors && errors.length > 0;

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <Combobox
        id={id}
        name="artist"
        maxLength={255}
        aria-invalid={invalid || undefined}
        aria-describedby={[hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(' ') || undefined}
        value={value.name}
        onTextChange={(name) => onChange({ name, picked: null })}
        open={open}
        onOpenChange={setOpen}
        suggestions={suggestions}
        keyOf={(suggestion) => suggestion.id ?? `mbid-${suggestion.mbid ?? suggestion.name}`}
        renderOption={(suggestion) => (
          <>
            <span>{suggestion.name}</span>
            {suggestion.id === null && <span className="combobox__source">from setlist.fm</span>}
          </>
        )}
        onPick={(suggestion) => onChange({ name: suggestion.name, picked: suggestion })}
        listLabel={`${label} suggestions`}
      />
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
