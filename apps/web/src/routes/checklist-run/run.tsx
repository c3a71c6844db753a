import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Run } from '@afterhours/shared';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { ScreenHeader } from '../../components/layout';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { onQueueChange, queuedTicks, takeRefusal, tick } from '../../features/checklists/tick-queue';
import { RUN_STATUS, STEP_STATUS, runDuration } from '../../features/checklists/labels';
import { formatDateTime } from '../../lib/date-format';
import { useMe } from '../../features/session/session';
import '../../features/checklists/checklists.css';

type Step = Run['steps'][number];

/** The run as the hub has it, with this phone's ticks not yet sent laid over it. */
function withQueued(run: Run, queued: ReturnType<typeof queuedTicks>): Run {
  if (!queued.length) return run;
  const last = new Map(queued.map((t) => [t.stepId, t]));
  return {
    ...run,
    steps: run.steps.map((s) => {
      const t = last.get(s.id);
      return t ? { ...s, status: t.status, note: t.note, doneBy: 'You (not sent yet)', doneAt: t.at } : s;
    }),
  };
}

function useQueued(runId: string) {
  const snapshot = useSyncExternalStore(onQueueChange, () => JSON.stringify(queuedTicks(runId)));
  return JSON.parse(snapshot) as ReturnType<typeof queuedTicks>;
}

export function ChecklistRunScreen({ id }: { id: string }) {
  const { canEdit } = useMe();
  const { data, error, loading, reload } = useApi<Run>(`/api/checklist-runs/${id}`);
  const queued = useQueued(id);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [finishing, setFinishing] = useState(false);
  useEffect(() => onQueueChange(() => setRefusal((r) => takeRefusal() ?? r)), []);
  // The hub's copy is reloaded once this phone's ticks have gone.
  const waiting = queued.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the queue empties
  useEffect(() => {
    if (waiting === 0) reload();
  }, [waiting]);

  if (!data)
    return (
      <>
        <ScreenHeader title="Checklist" back={{ href: '/', label: 'Now' }} />
        <ErrorNotice error={error} onRetry={reload} />
        {loading && <Loading />}
      </>
    );
  const run = withQueued(data, queued);
  const open = run.status === 'running';
  const editable = open && canEdit;
  const done = run.steps.filter((s) => s.status !== 'pending' && s.status !== 'running').length;
  const left = run.steps.length - done;
  const sections = [...new Set(run.steps.map((s) => s.section))];
  return (
    <div className="checklist-run">
      <ScreenHeader
        title={run.templateName}
        back={{ href: `/sites/${run.siteId}`, label: run.siteName }}
        subtitle={
          <>
            <span className={`badge ${RUN_STATUS[run.status].tone}`}>{RUN_STATUS[run.status].label}</span>{' '}
            <span className="muted">
              {run.clientName} · started {formatDateTime(run.startedAt, run.siteTimeZone)}
              {run.startedBy ? ` by ${run.startedBy}` : ''}
            </span>
          </>
        }
      />
      {waiting > 0 && (
        <Notice tone="warn">
          {waiting} tick{waiting === 1 ? '' : 's'} kept on this phone; sent as soon as there is a signal.
        </Notice>
      )}
      {refusal && <Notice tone="warn">A tick was not taken: {refusal}</Notice>}
      {!open && <RunVerdict run={run} />}

      {sections.map((section) => (
        <section key={section} className="cl-section" aria-label={section}>
          <h2 className="cl-section-title">{section}</h2>
          <ol className="cl-steps">
            {run.steps
              .filter((s) => s.section === section)
              .map((step) => (
                <StepCard key={step.id} runId={run.id} step={step} editable={editable} timeZone={run.siteTimeZone} />
              ))}
          </ol>
        </section>
      ))}

      {editable && (
        <div className="cl-finish">
          <p className="muted">
            {left === 0 ? 'Every step is done.' : `${done} of ${run.steps.length} done · ${left} open`}
          </p>
          <Button
            variant="primary"
            className="btn-block cl-big"
            disabled={waiting > 0}
            onClick={() => (left === 0 ? finish(run.id, reload) : setFinishing(true))}
          >
            Finish checklist
          </Button>
        </div>
      )}
      {!open && (
        <div className="cl-report-actions no-print">
          <Button className="btn-block cl-big" onClick={() => window.print()}>
            Print or save as PDF
          </Button>
        </div>
      )}
      {finishing && (
        <ConfirmDialog
          title="Finish with steps open?"
          message={
            <p>
              {left} open step{left === 1 ? '' : 's'} will count as not done, and the run as failed.
            </p>
          }
          confirmLabel="Finish anyway"
          danger
          onConfirm={() => api.post(`/api/checklist-runs/${run.id}/finish`)}
          onClose={() => setFinishing(false)}
          onDone={reload}
        />
      )}
    </div>
  );
}

function finish(runId: string, reload: () => void) {
  api.post(`/api/checklist-runs/${runId}/finish`).then(reload, reload);
}

function RunVerdict({ run }: { run: Run }) {
  return (
    <div className={`card cl-verdict ${RUN_STATUS[run.status].tone}`} role="status">
      <strong>{RUN_STATUS[run.status].label}</strong>
      <p>
        Finished {formatDateTime(run.finishedAt, run.siteTimeZone)}
        {run.finishedBy ? ` by ${run.finishedBy}` : ''}
        {run.durationS !== null ? ` · took ${runDuration(run.durationS)}` : ''}
      </p>
    </div>
  );
}

function StepCard({
  runId,
  step,
  editable,
  timeZone,
}: {
  runId: string;
  step: Step;
  editable: boolean;
  timeZone: string;
}) {
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState(step.note);
  const status = STEP_STATUS[step.status];
  const send = (value: 'passed' | 'failed' | 'not_done' | 'pending') => {
    tick({ runId, stepId: step.id, status: value, note: value === 'pending' ? '' : note.trim() });
    setNoting(false);
  };
  const manualOpen = step.kind === 'manual' && step.status === 'pending';
  return (
    <li className={`cl-step ${status.tone}`} data-status={step.status}>
      <div className="cl-step-head">
        <span className="cl-mark" aria-hidden="true">
          {step.status === 'running' ? <span className="spinner" /> : status.mark}
        </span>
        <div className="cl-step-text">
          <h3>{step.title}</h3>
          {step.targetLabel && <p className="muted small">{step.targetLabel}</p>}
          {step.instructions && <p className="small">{step.instructions}</p>}
        </div>
        <span className="visually-hidden">{status.label}</span>
      </div>
      {step.status === 'running' && <p className="muted small cl-result">Checking now…</p>}
      {step.message && step.status !== 'running' && <p className="small cl-result">{step.message}</p>}
      {step.note && <p className="small cl-note">Note: {step.note}</p>}
      {step.doneAt && step.status !== 'pending' && step.status !== 'running' && (
        <p className="muted small">
          {status.label}
          {step.doneBy ? ` · ${step.doneBy}` : ''} · {formatDateTime(step.doneAt, timeZone)}
        </p>
      )}
      {editable && noting && (
        <textarea
          className="cl-note-input"
          aria-label={`Note on ${step.title}`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={2000}
          rows={2}
        />
      )}
      {editable && manualOpen && (
        <div className="cl-tick">
          <Button
            variant="primary"
            className="cl-big"
            onClick={() => send('passed')}
            aria-label={`Done: ${step.title}`}
          >
            ✓ Done
          </Button>
          <Button className="cl-big" onClick={() => send('failed')} aria-label={`Problem: ${step.title}`}>
            ✗ Problem
          </Button>
          {!noting && (
            <Button variant="ghost" small onClick={() => setNoting(true)} aria-label={`Add a note to ${step.title}`}>
              Note
            </Button>
          )}
        </div>
      )}
      {editable && !manualOpen && step.status !== 'running' && step.kind === 'manual' && (
        <Button variant="ghost" small onClick={() => send('pending')} aria-label={`Change: ${step.title}`}>
          Change
        </Button>
      )}
    </li>
  );
}
