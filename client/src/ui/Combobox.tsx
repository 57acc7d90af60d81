import { useState, type InputHTMLAttributes, type KeyboardEvent, type ReactNode } from 'react';
import './combobox.css';

interface ComboboxProps<T> extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'role' | 'type'> {
  id: string;
  value: string;
  onTextChange: (text: string) => void;
  /** The list is open while the user types (so the caller knows when to search), closed on a pick, Escape or leaving. */
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** What is offered for the text so far. */
  suggestions: readonly T[];
  keyOf: (item: T) => string | number;
  renderOption: (item: T) => ReactNode;
  onPick: (item: T) => void;
  /** The list's accessible name ("Artist suggestions"). */
  listLabel: string;
}

/**
 * A text field with suggestions as you type, in the ARIA combobox pattern: focus stays
 * in the field, the arrows move through the list (aria-activedescendant), Enter picks,
 * Escape closes the list (and not a dialog around it), a click picks too.
 */
export function Combobox<T>({
  id,
  value,
  onTextChange,
  open,
  onOpenChange,
  suggestions,
  keyOf,
  renderOption,
  onPick,
  listLabel,
  ...inputProps
}: ComboboxProps<T>) {
  const listId = `${id}-list`;
  const [active, setActive] = useState(-1);
  const shown = open ? suggestions : [];
  const expanded = shown.length > 0;

  const close = () => {
    onOpenChange(false);
    setActive(-1);
  };
  const pick = (item: T) => {
    close();
    onPick(item);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      onOpenChange(true);
      if (shown.length) setActive((index) => (index + 1) % shown.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (shown.length) setActive((index) => (index <= 0 ? shown.length - 1 : index - 1));
    } else if (event.key === 'Enter' && expanded && active >= 0) {
      event.preventDefault();
      const item = shown[active];
      if (item !== undefined) pick(item);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };

  return (
    <div className="combobox">
      <input
        {...inputProps}
        id={id}
        className="field__input"
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        value={value}
        onChange={(event) => {
          onTextChange(event.target.value);
          onOpenChange(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={close}
      />
      <div className="combobox__list" id={listId} role="listbox" aria-label={listLabel} hidden={!expanded}>
        {shown.map((item, index) => (
          // biome-ignore lint/a11y/useFocusableInteractive lint/a11y/useKeyWithClickEvents: the combobox pattern with aria-activedescendant: focus stays in the input, whose keydown handler picks with the arrows and Enter.
          <div
            key={keyOf(item)}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'combobox__option is-active' : 'combobox__option'}
            // Before the input's blur: the click must land while the list is still there.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(item)}
          >
            {renderOption(item)}
          </div>
        ))}
      </div>
    </div>
  );
}
