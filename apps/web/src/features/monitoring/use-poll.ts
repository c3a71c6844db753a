import { useEffect, useRef } from 'react';

/**
 * Calls `refresh` every `everyMs` while the page is visible, and once when it becomes visible again.
 * Live events only announce changes of state; this keeps last results and sparklines fresh.
 */
export function usePoll(refresh: () => void, everyMs = 30_000): void {
  const ref = useRef(refresh);
  ref.current = refresh;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') ref.current();
    }, everyMs);
    const onVisible = () => document.visibilityState === 'visible' && ref.current();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [everyMs]);
}
