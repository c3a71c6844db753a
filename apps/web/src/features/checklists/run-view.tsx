import { useEffect, useState } from 'react';
import type { Run } from '@afterhours/shared';
import { api, messageOf } from '../../api/client';
import { ActionButton } from '../../components/action-button';
import { Button } from '../../components/button';
import { formatDateTime } from '../../lib/date-format';
import { shrink } from '../incidents/timeline';
import { RUN_STATUS, STEP_STATUS, runDuration } from './labels';
import { onPhotoQueueChange, queuePhoto, takePhotoRefusal, waitingPhotos } from './photo-queue';
import { tick } from './tick-queue';
import './checklists.css';
import '../updates/updates.css';

type Step = Run['steps'][number];

/** A run's steps by section: the phone's checklist while it runs, the report once it is finished. */
export function RunSteps({
  run,
  editable,
  incident,
}: {
  run: Run;
  editable: boolean;
  incident?: { onDone: () => void } | undefined;
}) {
  const sections = [...new Set(run.steps.map((s) => s.section))];
  return (
    <>
      {sections.map((section) => (
        <section key={section} className="cl-section" aria-label={section}>
          <h2 className="cl-section-title">{section}</h2>
          <ol className="cl-steps">
            {run.steps
              .filter((s) => s.section === section)
              .map((step) => (
                <StepCard
                  key={step.id}
                  runId={run.id}
                  step={step}
                  editable={editable}
                  timeZone={run.siteTimeZone}
                  incident={incident && { number: run.incidentNumber, onDone: incident.onDone }}
                />
              ))}
          </ol>
        </section>
      ))}
    </>
  );
}

export function RunVerdict({ run }: { run: Run }) {
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

export function StepCard({
  runId,
  step,
  editable,
  timeZone,
  incident,
}: {
  runId: string;
  step: Step;
  editable: boolean;
  timeZone: string;
  /** Staff only: a failed step can open or join an incident. */
  incident?: { number: number | null; onDone: () => void } | undefined;
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
      {step.hasPhoto && (
        <a
          className="cl-photo"
          href={`/api/checklist-runs/${runId}/steps/${step.id}/photo`}
          target="_blank"
          rel="noreferrer"
        >
          <img
            src={`/api/checklist-runs/${runId}/steps/${step.id}/photo?v=${step.doneAt ?? ''}`}
            alt={`Photo: ${step.title}`}
            loading="lazy"
          />
        </a>
      )}
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
          <StepPhotoButton runId={runId} step={step} />
        </div>
      )}
      {incident && (step.status === 'failed' || step.status === 'not_done') && (
        <div className="cl-tick">
          <ActionButton
            small
            aria-label={`${incident.number ? `Add to incident #${incident.number}` : 'Incident: open or join'}: ${step.title}`}
            action={() => api.post(`/api/checklist-runs/${runId}/steps/${step.id}/incident`)}
            onDone={incident.onDone}
          >
            {incident.number ? `Add to incident #${incident.number}` : 'Incident: open or join'}
          </ActionButton>
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

/**
 * Takes a photo with the phone's camera and attaches it to the step. Without signal the photo waits on the
 * phone (photo-queue.ts) and goes when the signal is back, like a tick.
 */
function StepPhotoButton({ runId, step }: { runId: string; step: Step }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(() => waitingPhotos(step.id));
  useEffect(
    () =>
      onPhotoQueueChange(() => {
        setWaiting(waitingPhotos(step.id));
        const refusal = takePhotoRefusal();
        if (refusal) setError(refusal);
      }),
    [step.id],
  );
  const send = (file: File) => {
    setBusy(true);
    setError(null);
    shrink(file)
      .then((blob) => queuePhoto(runId, step.id, blob))
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <label className="btn btn-ghost btn-small" aria-busy={busy || undefined}>
        <input
          type="file"
          accept="image/*"
          capture="environment"
          className="visually-hidden"
          aria-label={`Photo of ${step.title}`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) send(file);
            e.target.value = '';
          }}
        />
        {busy ? 'Sending photo…' : step.hasPhoto ? 'New photo' : 'Photo'}
      </label>
      {waiting > 0 && <span className="small muted">Photo kept on this phone: it goes when the signal is back</span>}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
