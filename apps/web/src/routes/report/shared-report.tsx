import type { IncidentReport } from '../../api/types';
import { setDisplayPreferences } from '../../lib/date-format';
import { IncidentReportView } from './incident-report-view';
import { SharedReportPage } from './shared-report-page';

/** An incident report opened from a shared link. */
export function SharedIncidentReportScreen({ token }: { token: string }) {
  return (
    <SharedReportPage<IncidentReport> url={`/api/public/incident-reports/${encodeURIComponent(token)}`}>
      {(report) => {
        // No session says whose dates these are: the firm's, as the report carries them.
        setDisplayPreferences({ locale: report.display.locale ?? undefined, clock: report.display.clock ?? undefined });
        return <IncidentReportView report={report} />;
      }}
    </SharedReportPage>
  );
}
