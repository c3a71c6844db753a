import { useEffect, useState } from 'react';
import { api, type ApiError, query } from '../../api/client';
import type { AuditEvent, AuditPage } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { SelectField } from '../../components/field';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { formatDateTime, timeAgo } from '../../features/register/time';

const ENTITY_TYPES = [
  { value: '', label: 'Everything' },
  { value: 'client', label: 'Clients' },
  { value: 'contact', label: 'Contacts' },
  { value: 'site', label: 'Sites' },
  { value: 'system', label: 'Systems' },
  { value: 'user', label: 'Users' },
  { value: 'token', label: 'API tokens' },
];
const LIMIT = 50;

/** The audit log, newest first; live for the first page, older pages on request. */
export function AuditScreen() {
  const [entityType, setEntityType] = useState('');
  const first = useApi<AuditPage>(`/api/audit${query({ entityType, limit: LIMIT })}`);
  const [older, setOlder] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [olderError, setOlderError] = useState<ApiError | undefined>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts from the newest entries
  useEffect(() => {
    setOlder([]);
    setCursor(undefined);
  }, [entityType]);

  const next = cursor === undefined ? first.data?.nextCursor : cursor;
  const seen = new Set<string>();
  const events = [...(first.data?.items ?? []), ...older].filter((e) =>
    seen.has(e.id) ? false : (seen.add(e.id), true),
  );

  const loadOlder = () => {
    if (!next) return;
    setBusy(true);
    setOlderError(undefined);
    api
      .get<AuditPage>(`/api/audit${query({ entityType, limit: LIMIT, before: next })}`)
      .then((page) => {
        setOlder((o) => [...o, ...page.items]);
        setCursor(page.nextCursor);
      })
      .catch((e: ApiError) => setOlderError(e))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <ScreenHeader title="Audit log" back={{ href: '/settings', label: 'Settings' }} />
      <div className="toolbar">
        <SelectField
          label="Show"
          value={entityType}
          onChange={(e) => setEntityType(e.target.value)}
          options={ENTITY_TYPES}
          className="field-inline"
        />
      </div>
      <ErrorNotice error={first.error} onRetry={first.reload} />
      {!first.data && first.loading && <Loading />}
      {first.data && events.length === 0 && <Empty title="Nothing recorded yet" />}
      {events.length > 0 && (
        <ol className="card audit" aria-label="Audit events">
          {events.map((e) => (
            <li key={e.id} className="audit-event">
              <p className="audit-summary">{e.summary}</p>
              <p className="row-meta">
                <time dateTime={e.at} title={formatDateTime(e.at)}>
                  {timeAgo(e.at)}
                </time>{' '}
                · {e.actor.label} · <code>{e.action}</code>
              </p>
              <Changes before={e.before} after={e.after} />
            </li>
          ))}
        </ol>
      )}
      <ErrorNotice error={olderError} />
      {next && (
        <div className="list-footer">
          <Button busy={busy} onClick={loadOlder}>
            Show older events
          </Button>
        </div>
      )}
    </>
  );
}

function Changes({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]) && !/At$/.test(k),
  );
  if (keys.length === 0) return null;
  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  return (
    <details className="audit-details">
      <summary>
        Show {keys.length} field{keys.length === 1 ? '' : 's'}
      </summary>
      <dl>
        {keys.map((k) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              {before && <del>{show(before[k])}</del>} {after && <ins>{show(after[k])}</ins>}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
