import { useId, useRef, useState, type FormEvent } from 'react';
import { describeError, serverFieldErrors } from '../lib/errors.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Field } from '../ui/Field.js';

type ImportFolders = RouterOutputs['sources']['importFolders'];

/** Where this user may import from, in words: their own folder(s) on the server, or the household's. */
function hintFor(imports: ImportFolders | undefined): string {
  const device = 'A folder on the server, not on this device.';
  if (!imports) return device;
  if (!imports.enabled) return 'Importing folders from the server is turned off here; upload your photos instead.';
  const paths = imports.folders.map((folder) => folder.path);
  if (imports.shared) return `${device} Any folder inside ${paths.join(' or ')} can be added.`;
  const missing = imports.folders.filter((folder) => !folder.ready).map((folder) => folder.path);
  const where = paths.length > 1 ? `Your import folders are ${paths.join(' and ')}` : `Your import folder is ${paths[0]}`;
  const note = missing.length ? ` (ask the server's operator to create ${missing.join(' and ')})` : '';
  return `${device} ${where}${note}: put your photos there, then add it or a folder inside it.`;
}

/** sources.addLocalFolder: a folder on the server's disk, inside the import folders this user is granted. */
export function AddFolderForm() {
  const headingId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const utils = trpc.useUtils();
  const imports = trpc.sources.importFolders.useQuery(undefined, { staleTime: 5 * 60_000 });
  const [path, setPath] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const add = trpc.sources.addLocalFolder.useMutation({
    onSuccess: async (_result, variables) => {
      setAdded(variables.path);
      setPath('');
      await utils.sources.list.invalidate();
    },
    onError: (error) => {
      // The button was disabled while pending: put focus back where the fix is.
      if (!describeError(error).retryable || serverFieldErrors(error)['path']) inputRef.current?.focus();
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const value = path.trim();
    setAdded(null);
    if (!value) {
      setLocalError('Give a folder path');
      inputRef.current?.focus();
      return;
    }
    setLocalError(null);
    add.mutate({ path: value });
  };

  const described = add.error ? describeError(add.error) : null;
  const serverErrors = add.error ? serverFieldErrors(add.error)['path'] : undefined;
  let fieldErrors: string[] | undefined;
  if (localError) fieldErrors = [localError];
  else if (serverErrors?.length) fieldErrors = serverErrors;
  else if (described && !described.retryable) fieldErrors = [described.message];

  return (
    <form className="card add-card" onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
      <h3 className="card__title" id={headingId}>
        Add a server folder
      </h3>
      <Field
        ref={inputRef}
        label="Folder path"
        name="path"
        placeholder={imports.data?.folders[0]?.path ?? '/srv/photos/concerts'}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        hint={hintFor(imports.data)}
        value={path}
        onChange={(event) => {
          setPath(event.target.value);
          setLocalError(null);
          if (add.error) add.reset();
        }}
        errors={fieldErrors}
      />
      {imports.data?.enabled && imports.data.folders.some((folder) => folder.ready) && (
        <p className="add-card__folders">
          {/* The allowed folders, one click from the field: no path to guess. */}
          {imports.data.folders
            .filter((folder) => folder.ready)
            .map((folder) => (
              <button
                key={folder.path}
                type="button"
                className="link-button add-card__folder"
                onClick={() => {
                  setPath(folder.path);
                  setLocalError(null);
                  if (add.error) add.reset();
                  inputRef.current?.focus();
                }}
              >
                Use {folder.path}
              </button>
            ))}
        </p>
      )}
      {described?.retryable && !serverErrors?.length && (
        <ErrorState
          compact
          focusRetry
          title="Couldn't add the folder"
          message={described.message}
          onRetry={() => add.variables && add.mutate(add.variables)}
          retrying={add.isPending}
        />
      )}
      <div className="add-card__actions">
        <button type="submit" className="button button--secondary" disabled={add.isPending} aria-busy={add.isPending}>
          {add.isPending && <span className="spinner spinner--small" aria-hidden="true" />}
          Add folder
        </button>
      </div>
      <p className="add-card__status" role="status">
        {added ? `Added ${added}. Use “Scan now” on it to read its photos.` : ''}
      </p>
    </form>
  );
}
