import { useCallback, useState, type FormEvent } from 'react';
import { ApiError, type FieldErrors } from './client';

export interface Submit {
  busy: boolean;
  error: ApiError | undefined;
  fields: FieldErrors;
  /** Use as a form's onSubmit, or call with no event from a button. */
  submit: (event?: FormEvent) => void;
  clear: () => void;
}

/** Runs a write, tracks progress, and keeps the hub's error (with its field messages) for the form. */
export function useSubmit<T>(action: () => Promise<T>, onDone?: (result: T) => void): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const submit = useCallback(
    (event?: FormEvent) => {
      event?.preventDefault();
      if (busy) return;
      setBusy(true);
      setError(undefined);
      action()
        .then((result) => {
          setBusy(false);
          onDone?.(result);
        })
        .catch((e: unknown) => {
          setBusy(false);
          setError(e instanceof ApiError ? e : new ApiError(0, 'unknown', e instanceof Error ? e.message : String(e)));
        });
    },
    [action, onDone, busy],
  );
  const clear = useCallback(() => setError(undefined), []);
  return { busy, error, fields: error?.fields ?? {}, submit, clear };
}
