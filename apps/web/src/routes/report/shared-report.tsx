import type { IncidentReport } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { Loading } from '../../components/notice';
import { setDisplayPreferences } from '../../lib/date-format';
import { IncidentReportView } from './incident-report-view';

/** A report opened from a shared link, by someone with no account: no sign-in, no menu, just the report. */
export function SharedIncidentReportScreen({ token }: { token: string }) {
  const { data, error, loading } = useApi<IncidentReport>(`/api/public/incident-reports/${encodeURIComponent(token)}`, {
    live: false,
  });
  // No session says whose dates these are: the firm's, as the report carries them.
  if (data) setDisplayPreferences({ locale: data.display.locale ?? undefined, clock: data.display.clock ?? undefined });
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
          <IncidentReportView report={data} />
        </>
      )}
    </main>
  );
}
