import { startTransition, useEffect, useState } from 'react';

/**
 * How many of a long list to render: the first `first` at once, then all of them once that has been
 * painted. Now's 200 clients cost a busy phone most of a second to build and lay out; the clients with
 * problems, at the top, should not wait for the calm ones below the fold.
 */
export function useFirstScreenful(ready: boolean, first: number): number {
  const [all, setAll] = useState(false);
  useEffect(() => {
    if (!ready || all) return;
    // After the next frame is painted (a rAF callback runs before paint; the timeout lands after it).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setAll(true)));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [ready, all]);
  return all ? Number.POSITIVE_INFINITY : first;
}
