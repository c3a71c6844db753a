import type { Run } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { Loading } from '../../components/notice';
import { RUN_STATUS } from '../../features/checklists/labels';
import { RunSteps, RunVerdict } from '../../features/checklists/run-view';
import { formatDateTime } from '../../lib/date-format';
import '../../features/updates/updates.css';

/** A checklist report opened from a shared link, by someone with no account: no sign-in, no menu, just the report. */
export function SharedChecklistReportScreen({ token }: { token: string }) {
  const { data, error, loading } = useApi<Run>(`/api/public/checklist-reports/${encodeURIComponent(token)}`, {
    live: false,
  });
  return (
    <main className="shared-report" id="main">
      {!data && loading && <Loading label="Opening the report" />}
      {error && (
        <div className="notice notice-warn">
          <h1>This report link does not work</h1>
          <p>
            {error.status === 404
              ? 'It may have been withdrawn. Ask your IT support firm for a new link.'
              : 'The report could not be loaded. Check the connection and try again.'}
          </p>
        </div>
      )}
      {data && (
        <>
          <div className="report-actions">
            <Button onClick={() => window.print()}>Print or save as PDF</Button>
          </div>
          <h1>{data.templateName}</h1>
          <p className="muted">
            {data.clientName} · {data.siteName} · started {formatDateTime(data.startedAt, data.siteTimeZone)}
            {data.startedBy ? ` by ${data.startedBy}` : ''} · {RUN_STATUS[data.status].label}
          </p>
          {data.status !== 'running' && <RunVerdict run={data} />}
          <RunSteps run={data} editable={false} />
        </>
      )}
    </main>
  );
}
