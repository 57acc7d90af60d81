import { useId, useState, type KeyboardEvent } from 'react';
import { placeLine } from '../concerts/format.js';
import { useDebouncedValue } from '../concerts/useDebouncedValue.js';
import { describeError } from '../lib/errors.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';

type City = RouterOutputs['homeCity']['search'][number];

/** Where the user lives: the stats measure how far each concert was from it. */
export function HomeCity() {
  const headingId = useId();
  const home = trpc.homeCity.get.useQuery();
  let content;
  if (home.data !== undefined) content = <HomeCityForm current={home.data} />;
  else if (home.error) {
    content = (
      <ErrorState
        compact
        title="Couldn't load your home city"
        message={describeError(home.error).message}
        onRetry={() => void home.refetch()}
        retrying={home.isFetching}
      />
    );
  } else content = <Loading inline label="Loading your home city…" />;

  return (
    <section className="card settings-section" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        Home city
      </h2>
      {content}
    </section>
  );
}

function HomeCityForm({ current }: { current: RouterOutputs['homeCity']['get'] }) {
  const utils = trpc.useUtils();
  const onSuccess = (next: RouterOutputs['homeCity']['get']) => {
    utils.homeCity.get.setData(undefined, next);
    void utils.stats.summary.invalidate();
  };
  const set = trpc.homeCity.set.useMutation({ onSuccess });
  const clear = trpc.homeCity.clear.useMutation({ onSuccess });
  const busy = set.isPending || clear.isPending;
  const error = set.error ?? clear.error;

  const pick = (city: City) => set.mutate({ geoname: city.geonameId });

  return (
    <>
      <p data-testid="home-city-current">
        {current ? (
          <>
            Your distances are measured from <strong>{placeLine(current.name, current.countryCode)}</strong>.{' '}
            <button type="button" className="button button--ghost" disabled={busy} onClick={() => clear.mutate()}>
              Clear home city
            </button>
          </>
        ) : (
          <span className="muted">No home city yet: choose one and your stats show how far you went for your concerts.</span>
        )}
      </p>
      <CityCombobox key={current ? `${current.name}|${current.countryCode}` : 'none'} disabled={busy} onPick={pick} />
      {error && (
        <p className="field__error" role="alert">
          {describeError(error).message}
        </p>
      )}
    </>
  );
}

/** A city of the server's offline list, found by the start of its name. */
function CityCombobox({ onPick, disabled }: { onPick: (city: City) => void; disabled: boolean }) {
  const id = useId();
  const listId = `${id}-list`;
  const [value, setValue] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const prefix = useDebouncedValue(value.trim(), 250);
  const search = trpc.homeCity.search.useQuery({ prefix }, { enabled: open && prefix.length > 0, staleTime: 60 * 60_000 });
  const suggestions = open && prefix.length > 0 ? (search.data ?? []) : [];
  const expanded = suggestions.length > 0;

  const pick = (city: City) => {
    setValue('');
    setOpen(false);
    setActive(-1);
    onPick(city);
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
      const city = suggestions[active];
      if (city) pick(city);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        Home city
      </label>
      <div className="home-city">
        <input
          id={id}
          className="field__input"
          type="text"
          role="combobox"
          autoComplete="off"
          maxLength={100}
          placeholder="Start typing a city"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
          disabled={disabled}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        <div className="combobox__list" id={listId} role="listbox" aria-label="Home city suggestions" hidden={!expanded}>
          {suggestions.map((city, index) => (
            // biome-ignore lint/a11y/useFocusableInteractive lint/a11y/useKeyWithClickEvents: the combobox pattern with aria-activedescendant: focus stays in the input, whose keydown handler picks with the arrows and Enter.
            <div
              key={city.geonameId}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'combobox__option is-active' : 'combobox__option'}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(city)}
            >
              {placeLine(city.name, city.countryCode)}
            </div>
          ))}
        </div>
      </div>
      <p className="field__hint">Chosen from a list of 135,000 cities kept on this server; nothing is looked up elsewhere.</p>
    </div>
  );
}
