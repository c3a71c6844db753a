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
  { value: 'check', label: 'Checks' },
  { value: 'heartbeat', label: 'Heartbeats' },
  { value: 'agent', label: 'Site agents' },
  { value: 'user', label: 'Users' },
  { value: 'token', label: 'API tokens' },
  { value: 'settings', label: 'Settings' },
  { value: 'client_update', label: 'Updates to clients' },
  { value: 'message_template', label: 'Message templates' },
  { value: 'share_link', label: 'Report links' },
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
                · {e.actor.label}
                {e.entityName && !e.summary.includes(e.entityName) ? ` · ${e.entityName}` : ''}
              </p>
              <Changes before={e.before} after={e.after} names={e.names} />
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

/** "dependsOn" → "Depends on", "siteId" → "Site". */
function fieldLabel(key: string): string {
  const words = key
    .replace(/Ids?$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as a person reads it: names for ids, Yes/No, lists joined, "—" for nothing. */
function readable(value: unknown, names: Record<string, string>): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return names[value] ?? (ID.test(value) ? 'a deleted item' : value);
  if (Array.isArray(value)) return value.length ? value.map((v) => readable(v, names)).join(', ') : 'none';
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${fieldLabel(k)}: ${readable(v, names)}`)
      .join('; ');
  return String(value);
}
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What changed, field by field, as "before → after" (secrets stay masked as the hub stored them). */
function Changes({
  before,
  after,
  names,
}: {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  names: Record<string, string>;
}) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]) && !/At$/.test(k),
  );
  if (keys.length === 0) return null;
  return (
    <details className="audit-details">
      <summary>
        What changed ({keys.length} field{keys.length === 1 ? '' : 's'})
      </summary>
      <dl>
        {keys.map((k) => (
          <div key={k}>
            <dt>{fieldLabel(k)}</dt>
            <dd>
              {before && <del>{readable(before[k], names)}</del>}
              {before && after && <span aria-hidden="true"> → </span>}
              {after && <ins>{readable(after[k], names)}</ins>}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
