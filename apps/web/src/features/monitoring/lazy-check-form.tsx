import { lazy, Suspense, type ComponentProps } from 'react';

// The check form (every kind's fields) loads when first opened, keeping it out of the first download.
const CheckForm = lazy(() => import('./check-form').then((m) => ({ default: m.CheckFormDialog })));

export function CheckFormDialog(props: ComponentProps<typeof CheckForm>) {
  return (
    <Suspense fallback={null}>
      <CheckForm {...props} />
    </Suspense>
  );
}
