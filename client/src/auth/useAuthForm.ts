import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { z } from 'zod';
import { describeError, type DescribedError } from '../lib/errors.js';

export type FieldErrors<K extends string> = Partial<Record<K, string[]>>;

/** The part of a tRPC useMutation result the form needs. */
interface FormMutation<T> {
  mutate: (input: T) => void;
  reset: () => void;
  error: unknown;
  variables: T | undefined;
  isPending: boolean;
}

interface Options<K extends string, T> {
  fields: readonly K[];
  schema: z.ZodType<T>;
  initialValues: Record<K, string>;
  mutation: FormMutation<T>;
  /** Where focus goes after an error that belongs to no single field (e.g. wrong password). */
  focusOnFormError: K;
  focusOnMount?: boolean;
  onValueChange?: (name: K, value: string) => void;
}

/** Field and form errors from the server's errorFormatter (`data.zodError` is a flattened ZodError). */
function serverValidation(error: unknown): { fields: Partial<Record<string, string[]>>; form: string[] } | null {
  const zodError = (error as { data?: { zodError?: unknown } } | null)?.data?.zodError;
  if (typeof zodError !== 'object' || zodError === null) return null;
  const { fieldErrors, formErrors } = zodError as { fieldErrors?: Partial<Record<string, string[]>>; formErrors?: string[] };
  return { fields: fieldErrors ?? {}, form: formErrors ?? [] };
}

/**
 * Client-side validation with the server's own schema, server field errors next to
 * their inputs, and focus moved to whatever needs fixing.
 */
export function useAuthForm<K extends string, T>({
  fields,
  schema,
  initialValues,
  mutation,
  focusOnFormError,
  focusOnMount = false,
  onValueChange,
}: Options<K, T>) {
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(initialValues);
  // null: nothing checked locally since the last submit, so the server's verdict stands.
  const [clientErrors, setClientErrors] = useState<FieldErrors<K> | null>(null);

  const focusField = (name: K, { select = false } = {}) => {
    const element = formRef.current?.elements.namedItem(name);
    if (!(element instanceof HTMLInputElement)) return;
    element.focus();
    if (select) element.select();
  };

  const server = serverValidation(mutation.error);
  const fieldErrors: FieldErrors<K> = clientErrors ?? {};
  if (!clientErrors && server) for (const f of fields) if (server.fields[f]?.length) fieldErrors[f] = server.fields[f];
  const firstInvalid = fields.find((f) => fieldErrors[f]?.length);

  let formError: DescribedError | null = null;
  if (!clientErrors && mutation.error && !firstInvalid) {
    formError = server
      ? { message: server.form.join(' ') || 'Please check the form and try again.', retryable: false }
      : describeError(mutation.error);
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: only on mount; focusing again on a later render would take focus from wherever the user put it.
  useEffect(() => {
    if (focusOnMount) focusField(fields[0]!);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when a new error arrives; `server` and `fields` are new every render, so following them would pull focus back while the user types.
  useEffect(() => {
    // Disabling the submit button while pending dropped focus: put it where the fix is.
    // (A retryable failure focuses its Retry button instead, see FormError.)
    if (!mutation.error || (!server && describeError(mutation.error).retryable)) return;
    const invalidField = fields.find((f) => server?.fields[f]?.length);
    if (invalidField) return focusField(invalidField);
    // Selected, so typing replaces the rejected value.
    focusField(focusOnFormError, { select: true });
  }, [mutation.error]);

  const bind = (name: K) => ({
    name,
    value: values[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const value = event.target.value;
      setValues((previous) => ({ ...previous, [name]: value }));
      onValueChange?.(name, value);
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mutation.isPending) return;
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const errors = z.flattenError(parsed.error).fieldErrors as unknown as FieldErrors<K>;
      setClientErrors(errors);
      mutation.reset();
      const first = fields.find((f) => errors[f]?.length);
      if (first) focusField(first);
      return;
    }
    setClientErrors(null);
    mutation.mutate(parsed.data);
  };

  const retry = () => {
    if (mutation.variables !== undefined && !mutation.isPending) mutation.mutate(mutation.variables);
  };

  return { formRef, bind, fieldErrors, formError, onSubmit, retry, pending: mutation.isPending };
}
