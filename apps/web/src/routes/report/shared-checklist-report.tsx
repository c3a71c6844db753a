import type { Run } from '@afterhours/shared';
import { RUN_STATUS } from '../../features/checklists/labels';
import { RunSteps, RunVerdict } from '../../features/checklists/run-view';
import { formatDateTime } from '../../lib/date-format';
import { SharedReportPage } from './shared-report-page';

/** A checklist run's report opened from a shared link. */
export function SharedChecklistReportScreen({ token }: { token: string }) {
  return (
    <SharedReportPage<Run> url={`/api/public/checklist-reports/${encodeURIComponent(token)}`}>
      {(run) => (
        <>
          <h1>{run.templateName}</h1>
          <p className="muted">
            {run.clientName} · {run.siteName} · started {formatDateTime(run.startedAt, run.siteTimeZone)}
            {run.startedBy ? ` by ${run.startedBy}` : ''} · {RUN_STATUS[run.status].label}
          </p>
          {run.status !== 'running' && <RunVerdict run={run} />}
          <RunSteps run={run} editable={false} />
        </>
      )}
    </SharedReportPage>
  );
}
