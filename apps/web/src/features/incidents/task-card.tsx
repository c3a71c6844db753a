import { useState } from 'react';
import { Link } from 'wouter';
import type { Task, TaskStatus } from '@afterhours/shared';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { TextAreaField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { DueTime } from './due';
import { TASK_STATUS_LABEL } from './labels';

/**
 * One task: title, who, when (viewer's and site's time), report-to, status and outcome. Staff move it on in
 * one tap (Start, Done, Blocked); done and blocked ask for the outcome, which goes to the "report to" colleague.
 */
export function TaskCard({
  task,
  canEdit,
  onChange,
  showIncident = false,
}: {
  task: Task;
  canEdit: boolean;
  onChange: () => void;
  showIncident?: boolean;
}) {
  const [finishing, setFinishing] = useState<'done' | 'blocked' | null>(null);
  const start = useSubmit(() => api.patch(`/api/tasks/${task.id}`, { status: 'doing' }), onChange);
  const open = task.status === 'todo' || task.status === 'doing';
  return (
    <li className={`card task-card is-${task.status}${task.overdue ? ' is-overdue' : ''}`}>
      <div className="task-main">
        <span className={`task-status is-${task.status}`}>
          {TASK_STATUS_LABEL[task.status]}
          {task.overdue && ' · overdue'}
        </span>
        <span className="row-title">{task.title}</span>
        {showIncident && (
          <Link href={`/incidents/${task.incidentId}`} className="row-meta">
            #{task.incidentNumber} {task.clientName}: {task.incidentTitle}
          </Link>
        )}
        <span className="row-meta">
          {task.assignee ? task.assignee.name : 'Nobody yet'}
          {task.reportTo && ` · reports to ${task.reportTo.name}`}
        </span>
        {task.dueAt && (
          <span className="row-meta">
            Due <DueTime at={task.dueAt} siteTimeZone={task.siteTimeZone} />
          </span>
        )}
        {task.outcome && <span className="task-outcome">{task.outcome}</span>}
      </div>
      {canEdit && open && (
        <div className="task-actions">
          {task.status === 'todo' && (
            <Button small onClick={() => start.submit()} busy={start.busy} aria-label={`Start ${task.title}`}>
              Start
            </Button>
          )}
          <Button small variant="primary" onClick={() => setFinishing('done')} aria-label={`Done: ${task.title}`}>
            Done
          </Button>
          <Button small onClick={() => setFinishing('blocked')} aria-label={`Blocked: ${task.title}`}>
            Blocked
          </Button>
        </div>
      )}
      {start.error && <ErrorNotice error={start.error} />}
      {finishing && (
        <OutcomeDialog task={task} status={finishing} onClose={() => setFinishing(null)} onDone={onChange} />
      )}
    </li>
  );
}

function OutcomeDialog({
  task,
  status,
  onClose,
  onDone,
}: {
  task: Task;
  status: Extract<TaskStatus, 'done' | 'blocked'>;
  onClose: () => void;
  onDone: () => void;
}) {
  const [outcome, setOutcome] = useState(task.outcome);
  const save = useSubmit(
    () => api.patch(`/api/tasks/${task.id}`, { status, outcome }),
    () => {
      onClose();
      onDone();
    },
  );
  return (
    <Dialog title={status === 'done' ? `Done: ${task.title}` : `Blocked: ${task.title}`} onClose={onClose}>
      <form onSubmit={save.submit}>
        <TextAreaField
          label={status === 'done' ? 'What was done or found' : 'What blocks it'}
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
          error={save.fields.outcome}
          hint={task.reportTo ? `${task.reportTo.name} gets this.` : undefined}
          autoFocus
        />
        <ErrorNotice error={save.fields.outcome ? undefined : save.error} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            {status === 'done' ? 'Mark done' : 'Mark blocked'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
