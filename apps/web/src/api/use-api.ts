import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './client';
import { subscribe } from './live';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

const LIVE_DEBOUNCE_MS = 300;

/**
 * GETs `path` (null: nothing yet) and refetches it, debounced, whenever the hub announces a change.
 * The last data stays on screen while a refetch runs, so live updates do not flicker.
 */
export function useApi<T>(path: string | null, options: { live?: boolean } = {}): ApiState<T> {
  const live = options.live ?? true;
  const [state, setState] = useState<{ path: string | null; data?: T; error?: ApiError; loading: boolean }>({
    path,
    loading: path !== null,
  });
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((s) => (s.path === path ? { ...s, loading: true } : { path, loading: true }));
    api
      .get<T>(path, { signal: controller.signal })
      .then((data) => setState({ path, data, loading: false }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'unknown', String(error));
        setState((s) => ({ ...s, path, error: apiError, loading: false }));
      });
    return () => controller.abort();
  }, [path, nonce]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (!live || path === null) return;
    const unsubscribe = subscribe(() => {
      clearTimeout(timer.current);
      timer.current = setTimeout(reload, LIVE_DEBOUNCE_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer.current);
    };
  }, [live, path, reload]);

  const current = state.path === path;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: current ? state.loading : path !== null,
    reload,
  };
}

/** Runs when the hub announces any change (debounced), for screens that keep their own lists. */
export function useLiveRefresh(refresh: () => void): void {
  const ref = useRef(refresh);
  ref.current = refresh;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe(() => {
      clearTimeout(timer);
      timer = setTimeout(() => ref.current(), LIVE_DEBOUNCE_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, []);
}
