import { ActionButton } from './action-button';
import { Button } from './button';

/**
 * The actions under a check's or a heartbeat's settings: "Pause NOUN"/"Resume NOUN" (at once, with the
 * hub's error if it refuses), "Edit NOUN" and "Delete NOUN" (each opens the screen's dialog).
 */
export function PauseEditDelete({
  noun,
  paused,
  setPaused,
  onChanged,
  onEdit,
  onDelete,
}: {
  noun: string;
  paused: boolean;
  setPaused: (paused: boolean) => Promise<unknown>;
  onChanged: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <div className="card-actions check-actions">
      <ActionButton variant={paused ? 'primary' : 'secondary'} action={() => setPaused(!paused)} onDone={onChanged}>
        {paused ? `Resume ${noun}` : `Pause ${noun}`}
      </ActionButton>
      <Button onClick={onEdit}>Edit {noun}</Button>
      <Button variant="danger" onClick={onDelete}>
        Delete {noun}
      </Button>
    </div>
  );
}
