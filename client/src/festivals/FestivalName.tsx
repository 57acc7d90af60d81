import { useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../lib/errors.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import type { FestivalData } from './FestivalPage.js';
import { useRenameFestival } from './useFestivalEdits.js';

/** The festival's name as the page's heading, renamed in place (setlist.fm names only the stages). */
export function FestivalName({ festival }: { festival: FestivalData['festival'] }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(festival.name);
  const inputId = useId();
  const renameButton = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  // The user asked to rename: the field is where they type next.
  useEffect(() => {
    if (editing) input.current?.focus();
  }, [editing]);
  const rename = useRenameFestival();

  const close = () => {
    setEditing(false);
    rename.reset();
    // Back where the user was (the button is rendered again after this update).
    requestAnimationFrame(() => renameButton.current?.focus());
  };

  if (!editing) {
    return (
      <div className="festival-name">
        <ViewHeading title={festival.name}>{festival.name}</ViewHeading>
        <button
          ref={renameButton}
          type="button"
          className="button button--ghost festival-name__edit"
          onClick={() => {
            setName(festival.name);
            setEditing(true);
          }}
        >
          Rename<span className="visually-hidden"> the festival</span>
        </button>
      </div>
    );
  }

  return (
    <form
      className="festival-name festival-name--editing"
      onSubmit={(event) => {
        event.preventDefault();
        rename.mutate({ festivalId: festival.id, name }, { onSuccess: close });
      }}
    >
      <div className="field festival-name__field">
        <label className="field__label" htmlFor={inputId}>
          Festival name
        </label>
        <input
          id={inputId}
          className="field__input"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={255}
          required
          ref={input}
        />
      </div>
      <div className="festival-name__actions">
        <button type="submit" className="button button--primary" disabled={rename.isPending} aria-busy={rename.isPending}>
          {rename.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
          Save name
        </button>
        <button type="button" className="button button--ghost" onClick={close}>
          Cancel
        </button>
      </div>
      {rename.error && (
        <p className="form-alert" role="alert">
          {describeError(rename.error).message}
        </p>
      )}
    </form>
  );
}
