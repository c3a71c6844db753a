import type { ComponentProps } from 'react';
import { useSubmit } from '../api/use-submit';
import { Button } from './button';

/** A button that runs a write (no confirmation needed, e.g. restore), with progress and the hub's error. */
export function ActionButton({
  action,
  onDone,
  ...props
}: Omit<ComponentProps<typeof Button>, 'onClick' | 'busy'> & { action: () => Promise<unknown>; onDone?: () => void }) {
  const { busy, error, submit } = useSubmit(action, onDone);
  return (
    <>
      <Button {...props} busy={busy} onClick={() => submit()} />
      {error && (
        <span className="field-error" role="alert">
          {error.message}
        </span>
      )}
    </>
  );
}
