import { lazy, Suspense, type ComponentType } from 'react';

/** A component whose code is downloaded when it is first shown (nothing is drawn until then): the long forms. */
export function loadOnFirstUse<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component })));
  // biome-ignore lint/correctness/noComponentHookFactories: called once per form at module level, never during render
  return function LoadOnFirstUse(props: P) {
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}
