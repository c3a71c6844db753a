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
/** A steady stream of events (checks changing state all the time) still refetches this often. */
const LIVE_MAX_WAIT_MS = 3000;

/** Debounces `run` over bursts of live events, but never holds it back longer than LIVE_MAX_WAIT_MS. */
function liveDebouncer(run: () => void): { poke: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAt = 0;
  return {
    poke() {
      const now = Date.now();
      if (!firstAt) firstAt = now;
      clearTimeout(timer);
      timer = setTimeout(
        () => {
          firstAt = 0;
          run();
        },
        Math.max(0, Math.min(LIVE_DEBOUNCE_MS, firstAt + LIVE_MAX_WAIT_MS - now)),
      );
    },
    cancel: () => clearTimeout(timer),
  };
}

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

  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce is the reload trigger
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

  useEffect(() => {
    if (!live || path === null) return;
    const debounced = liveDebouncer(reload);
    const unsubscribe = subscribe(debounced.poke);
    return () => {
      unsubscribe();
      debounced.cancel();
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
    const debounced = liveDebouncer(() => ref.current());
    const unsubscribe = subscribe(debounced.poke);
    return () => {
      unsubscribe();
      debounced.cancel();
    };
  }, []);
}
