import { useState } from 'react';
import { api } from '../../api/client';
import type { CreatedShareLink, ShareLink } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog } from '../../components/dialog';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';
import { formatDateTime } from '../../lib/date-format';
import './updates.css';

/**
 * Secret links to a report for people without an account (the client's director, an insurer); revoking one
 * stops it at once. `linksPath` lists (GET) and makes (POST) the links of one report.
 */
export function ShareLinks({ linksPath }: { linksPath: string }) {
  const { data, error, reload } = useApi<{ items: ShareLink[] }>(linksPath);
  const [made, setMade] = useState<CreatedShareLink | null>(null);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const share = useSubmit(
    () => api.post<CreatedShareLink>(linksPath),
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
