import { type ReactNode, useState } from 'react';
import { Button } from './button';
import { ConfirmDialog } from './dialog';

/** What the delete confirmation of one item says, and the call that deletes it. */
export interface Deletion {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  remove: () => Promise<unknown>;
}

export interface ListEditor<T> {
  /** Opens the add dialog. */
  add: () => void;
  /** Opens the edit dialog of an item. */
  edit: (item: T) => void;
  /** Asks before deleting an item. */
  remove: (item: T) => void;
  /** Whichever dialog is open, for the screen to render. */
  dialogs: ReactNode;
}

/**
 * The add/edit dialog and the delete confirmation of a list screen. `dialog` renders the screen's form for a new
 * item (null) or an existing one: `close` drops it, `done` drops it and reloads the list.
 */
export function useListEditor<T>({
  reload,
  dialog,
  deletion,
}: {
  reload: () => void;
  dialog?: (item: T | null, close: () => void, done: () => void) => ReactNode;
  deletion: (item: T) => Deletion;
}): ListEditor<T> {
  const [editing, setEditing] = useState<{ item: T | null } | null>(null);
  const [deleting, setDeleting] = useState<{ item: T } | null>(null);
  const close = () => setEditing(null);
  const done = () => {
    setEditing(null);
    reload();
  };
  const confirm = deleting && deletion(deleting.item);
  return {
    add: () => setEditing({ item: null }),
    edit: (item) => setEditing({ item }),
    remove: (item) => setDeleting({ item }),
    dialogs: (
      <>
        {editing && dialog?.(editing.item, close, done)}
        {confirm && (
          <ConfirmDialog
            title={confirm.title}
            message={confirm.message}
            confirmLabel={confirm.confirmLabel}
            onConfirm={confirm.remove}
            onClose={() => setDeleting(null)}
            onDone={reload}
          />
        )}
      </>
    ),
  };
}

/** An item's Edit and Delete buttons, named for the item ("Edit Field team") so each is found by its name. */
export function EditDeleteActions({
  name,
  onEdit,
  onDelete,
  className = 'row-actions',
  editVariant = 'ghost',
}: {
  name: string;
  onEdit: () => void;
  onDelete: () => void;
  className?: string;
  editVariant?: 'ghost' | 'secondary';
}) {
  return (
    <div className={className}>
      <Button small variant={editVariant} aria-label={`Edit ${name}`} onClick={onEdit}>
        Edit
      </Button>
      <Button small variant="ghost" className="text-danger" aria-label={`Delete ${name}`} onClick={onDelete}>
        Delete
      </Button>
    </div>
  );
}
