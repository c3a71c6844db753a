import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { Button } from './button';
import { ErrorNotice } from './notice';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Wide dialogs get more room on a desktop. */
  wide?: boolean;
}

/**
 * A modal built on <dialog>: a bottom sheet on a phone, a centred panel on a desktop. Mount it to
 * open it (so its form starts fresh), unmount it to close.
 */
export function Dialog({ title, onClose, children, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a tap on the backdrop closes; the keyboard closes with Escape (onCancel)
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      <div className="dialog-body">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}

export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="dialog-actions">{children}</div>;
}

interface ConfirmProps {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  onDone?: () => void;
}

/** Asks before a destructive action, runs it with progress, and shows the hub's refusal if any. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger = true,
  onConfirm,
  onClose,
  onDone,
}: ConfirmProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  return (
    <Dialog title={title} onClose={onClose}>
      <ErrorNotice error={error} />
      <div className="confirm-message">{message}</div>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant={danger ? 'danger' : 'primary'}
          busy={busy}
          onClick={() => {
            setBusy(true);
            setError(undefined);
            onConfirm()
              .then(() => {
                setBusy(false);
                onClose();
                onDone?.();
              })
              .catch((e: ApiError) => {
                setBusy(false);
                setError(e);
              });
          }}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
