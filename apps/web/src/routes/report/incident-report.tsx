import type { IncidentReport } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { ScreenHeader } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { useMe } from '../../features/session/session';
import { ShareLinks } from '../../features/updates/share-links';
import { IncidentReportView } from './incident-report-view';

/** An incident's report in the app: for the client's own users to read, for staff to print and share. */
export function IncidentReportScreen({ id }: { id: string }) {
  const { canEdit: staff } = useMe();
  const { data, error, loading, reload } = useApi<IncidentReport>(`/api/incidents/${id}/report`);
  return (
    <>
      <div className="no-print">
        <ScreenHeader title="Report" back={{ href: `/incidents/${id}`, label: 'Incident' }} />
      </div>
      <ErrorNotice error={error} onRetry={error?.status === 404 ? undefined : reload} />
      {!data && loading && <Loading />}
      {data && (
        <>
          <div className="report-actions">
            <Button onClick={() => window.print()}>Print or save as PDF</Button>
          </div>
          <IncidentReportView report={data} />
          {staff && <ShareLinks linksPath={`/api/incidents/${id}/report-links`} />}
        </>
      )}
    </>
  );
}
