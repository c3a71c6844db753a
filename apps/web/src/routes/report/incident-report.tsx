import { useState } from 'react';
import { api } from '../../api/client';
import type { CreatedShareLink, IncidentReport, ShareLink } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog } from '../../components/dialog';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { useMe } from '../../features/session/session';
import { formatDateTime } from '../../lib/date-format';
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
          {staff && <ShareLinks incidentId={id} />}
        </>
      )}
    </>
  );
}

/** Secret links for people without an account (the client's director, an insurer); revoking one stops it at once. */
function ShareLinks({ incidentId }: { incidentId: string }) {
  const { data, error, reload } = useApi<{ items: ShareLink[] }>(`/api/incidents/${incidentId}/report-links`);
  const [made, setMade] = useState<CreatedShareLink | null>(null);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const share = useSubmit(
    () => api.post<CreatedShareLink>(`/api/incidents/${incidentId}/report-links`),
    (link) => {
      setMade(link);
      reload();
    },
  );
  const live = data?.items.filter((l) => !l.revokedAt) ?? [];
  return (
    <div className="no-print">
      <Section
        title="Share by link"
        actions={
          <Button small busy={share.busy} onClick={() => share.submit()}>
            New link
          </Button>
        }
      >
        <ErrorNotice error={error ?? share.error} onRetry={reload} />
        <p className="muted small">
          Anyone with the link can read this report without signing in, until the link is revoked.
        </p>
        {made && (
          <div className="card share-link-new">
            <p className="small">Copy it now: it is shown only once.</p>
            <p>
              <code aria-label="New report link">{made.url}</code>
            </p>
            <CopyButton text={made.url} label="Copy link" />
          </div>
        )}
        {live.length > 0 && (
          <ul className="card rows" aria-label="Report links">
            {live.map((l) => (
              <li key={l.id} className="row row-static">
                <span className="row-main">
                  <span className="row-title">Made {formatDateTime(l.createdAt)}</span>
                  <span className="row-meta">
                    {l.createdBy ? `by ${l.createdBy} · ` : ''}
                    {l.lastOpenedAt ? `last opened ${formatDateTime(l.lastOpenedAt)}` : 'not opened yet'}
                  </span>
                </span>
                <Button small variant="ghost" className="text-danger" onClick={() => setRevoking(l)}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Section>
      {revoking && (
        <ConfirmDialog
          title="Revoke this link?"
          message={<p>Anyone who has it will no longer be able to open the report.</p>}
          confirmLabel="Revoke link"
          onConfirm={() => api.del(`/api/share-links/${revoking.id}`)}
          onClose={() => setRevoking(null)}
          onDone={() => {
            setRevoking(null);
            if (made?.id === revoking.id) setMade(null);
            reload();
          }}
        />
      )}
    </div>
  );
}
