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
import { Segmented } from '../../components/segmented';
import { formatDateTime } from '../../lib/date-format';
import './updates.css';

const EXPIRY = [
  ['7', '7 days'],
  ['30', '30 days'],
  ['90', '90 days'],
  ['never', 'Never'],
] as const;

/**
 * Secret links to a report for people without an account (the client's director, an insurer); each works for
 * the days chosen when made (30 unless changed, or until revoked); revoking one stops it at once. `linksPath`
 * lists (GET) and makes (POST) the links of one report.
 */
export function ShareLinks({ linksPath }: { linksPath: string }) {
  const { data, error, reload } = useApi<{ items: ShareLink[] }>(linksPath);
  const [made, setMade] = useState<CreatedShareLink | null>(null);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const [expiry, setExpiry] = useState<(typeof EXPIRY)[number][0]>('30');
  const share = useSubmit(
    () => api.post<CreatedShareLink>(linksPath, { expiresInDays: expiry === 'never' ? null : Number(expiry) }),
    (link) => {
      setMade(link);
      reload();
    },
  );
  const live = data?.items.filter((l) => !l.revokedAt) ?? [];
  const expired = (l: ShareLink) => l.expiresAt !== null && Date.parse(l.expiresAt) <= Date.now();
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
          Anyone with the link can read this report without signing in, until it expires or is revoked.
        </p>
        <Segmented
          label="A new link works for"
          name="link-expiry"
          value={expiry}
          choices={EXPIRY}
          onChange={setExpiry}
          small
        />
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
                  <span className={`row-meta${expired(l) ? ' warn-text' : ''}`}>
                    {l.expiresAt === null
                      ? 'Never expires'
                      : `${expired(l) ? 'Expired' : 'Expires'} ${formatDateTime(l.expiresAt)}`}
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
