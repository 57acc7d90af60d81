import { useId, useState } from 'react';
import { placeLine } from '../concerts/format.js';
import { useDebouncedValue } from '../concerts/useDebouncedValue.js';
import { describeError } from '../lib/errors.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { Combobox } from '../ui/Combobox.js';
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
  const [value, setValue] = useState('');
  const [open, setOpen] = useState(false);
  const prefix = useDebouncedValue(value.trim(), 250);
  const search = trpc.homeCity.search.useQuery({ prefix }, { enabled: open && prefix.length > 0, staleTime: 60 * 60_000 });

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        Home city
      </label>
      <Combobox
        id={id}
        maxLength={100}
        placeholder="Start typing a city"
        disabled={disabled}
        value={value}
        onTextChange={setValue}
        open={open}
        onOpenChange={setOpen}
        suggestions={prefix.length > 0 ? (search.data ?? []) : []}
        keyOf={(city) => city.geonameId}
        renderOption={(city) => placeLine(city.name, city.countryCode)}
        onPick={(city) => {
          setValue('');
          onPick(city);
        }}
        listLabel="Home city suggestions"
      />
      <p className="field__hint">Chosen from a list of 135,000 cities kept on this server; nothing is looked up elsewhere.</p>
    </div>
  );
}
