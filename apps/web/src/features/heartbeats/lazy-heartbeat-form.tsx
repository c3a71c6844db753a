import { lazy, Suspense, type ComponentProps } from 'react';

// The heartbeat form (schedule, keywords, e-mail rules) loads when first opened.
const Form = lazy(() => import('./heartbeat-form').then((m) => ({ default: m.HeartbeatFormDialog })));

export function HeartbeatFormDialog(props: ComponentProps<typeof Form>) {
  return (
    <Suspense fallback={null}>
      <Form {...props} />
    </Suspense>
  );
}
