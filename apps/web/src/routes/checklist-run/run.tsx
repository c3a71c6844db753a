import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Run } from '@afterhours/shared';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { ScreenHeader } from '../../components/layout';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Link } from 'wouter';
import { RUN_STATUS } from '../../features/checklists/labels';
import { RunSteps, RunVerdict } from '../../features/checklists/run-view';
import { onQueueChange, queuedTicks, takeRefusal } from '../../features/checklists/tick-queue';
import { useMe } from '../../features/session/session';
import { SendUpdateDialog } from '../../features/updates/send-update-dialog';
import { ShareLinks } from '../../features/updates/share-links';
import { formatDateTime } from '../../lib/date-format';
import '../../features/checklists/checklists.css';

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
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);
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
            {run.incidentId && (
              <>
                {' '}
                <Link href={`/incidents/${run.incidentId}`} className="nowrap">
                  Incident #{run.incidentNumber}
                </Link>
              </>
            )}
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

      <RunSteps run={run} editable={editable} incident={canEdit ? { onDone: reload } : undefined} />

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
          {sent && <Notice tone="ok">Report sent to the client.</Notice>}
          {canEdit && (
            <Button variant="primary" className="btn-block cl-big" onClick={() => setSending(true)}>
              Send the report to the client
            </Button>
          )}
          <Button className="btn-block cl-big" onClick={() => window.print()}>
            Print or save as PDF
          </Button>
        </div>
      )}
      {!open && canEdit && <ShareLinks linksPath={`/api/checklist-runs/${run.id}/report-links`} />}
      {sending && (
        <SendUpdateDialog
          clientId={run.clientId}
          checklistRunId={run.id}
          onClose={() => setSending(false)}
          onSent={() => {
            setSending(false);
            setSent(true);
          }}
        />
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
