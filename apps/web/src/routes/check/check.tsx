import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../../api/client';
import type { AgentList, Check, CheckResultList, RunCheckResponse, StateChangeList, Uptime } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { InMaintenance, useActiveMaintenance, windowFor } from '../../features/maintenance/in-maintenance';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { PauseEditDelete } from '../../components/pause-edit-delete';
import { CheckFormDialog } from '../../features/monitoring/lazy-check-form';
import {
  CHECK_KIND_LABELS,
  STATE_LABELS,
  clockTime,
  duration,
  formatInterval,
  formatLatency,
} from '../../features/monitoring/state';
import { StateBadge, StateDot } from '../../features/monitoring/state-badge';
import { usePoll } from '../../features/monitoring/use-poll';
import { timeAgo } from '../../features/register/time';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';
import { isOtherZone } from '../../lib/date-format';
import { LatencySection, StateChangesSection, UptimeSection } from './history';

const dayAgo = () => new Date(Math.floor(Date.now() / 60_000) * 60_000 - 86_400_000).toISOString();

/** One check: its state and why, the last result, "Run now", latency, uptime and its changes of state. */
export function CheckScreen({ id }: { id: string }) {
  const { canEdit } = useMe();
  const [, navigate] = useLocation();
  const now = useNow(15_000);
  const check = useApi<Check>(`/api/checks/${id}`);
  const [since, setSince] = useState(dayAgo);
  const results = useApi<CheckResultList>(`/api/checks/${id}/results?since=${encodeURIComponent(since)}&limit=5000`);
  const uptime = useApi<Uptime>(`/api/checks/${id}/uptime`);
  const changes = useApi<StateChangeList>(`/api/checks/${id}/state-changes?limit=20`);
  const agents = useApi<AgentList>(canEdit && check.data ? `/api/agents?siteId=${check.data.siteId}` : null);
  const maintenance = useActiveMaintenance(check.data ? check.data.siteId : null);
  const [ran, setRan] = useState<RunCheckResponse | null>(null);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const refresh = () => {
    check.reload();
    setSince(dayAgo());
    results.reload();
    uptime.reload();
    changes.reload();
  };
  usePoll(refresh);
  const run = useSubmit(
    () => api.post<RunCheckResponse>(`/api/checks/${id}/run`),
    (answer) => {
      setRan(answer);
      refresh();
    },
  );

  const c = check.data;
  if (!c) {
    return (
      <>
        <ScreenHeader
          title={check.error?.status === 404 ? 'Check not found' : 'Check'}
          back={{ href: '/', label: 'Now' }}
        />
        <ErrorNotice error={check.error} onRetry={check.error?.status === 404 ? undefined : check.reload} />
        {check.loading && <Loading />}
      </>
    );
  }
  // "Run now" shows its answer in place: the last result, marked as just run.
  const last = ran?.result && (!c.lastResult || ran.result.at >= c.lastResult.at) ? ran.result : c.lastResult;
  const justRan = Boolean(ran?.result && last && ran.result.at === last.at);
  const inMaintenance = windowFor(maintenance, c.siteId, c.systemId);
  return (
    <>
      <ScreenHeader
        title={c.name}
        back={{ href: `/sites/${c.siteId}`, label: c.siteName }}
        subtitle={
          <>
            {c.clientName} · {c.systemName} · {CHECK_KIND_LABELS[c.kind]}
            {isOtherZone(c.timeZone) && ` · times at the site (${c.timeZone})`}
          </>
        }
      />

      <section className={`card verdict is-${c.state}`} aria-label="Current state">
        <div className="verdict-head">
          <StateDot state={c.state} />
          <StateBadge state={c.state} large />
          <span className="muted">
            since {clockTime(c.stateSince, now, c.timeZone)} · {duration(c.stateSince, now)}
          </span>
        </div>
        <p className="verdict-reason">
          {c.stateReason.startsWith('because') ? `${STATE_LABELS[c.state]} ${c.stateReason}` : c.stateReason}
        </p>
        {inMaintenance && <InMaintenance window={inMaintenance} now={now} />}
        {c.cause && (
          <p className="small">
            {c.cause.type === 'agent'
              ? `The site’s agent (${c.cause.name}) cannot run this check${c.stateReason.includes('unreachable') ? ': it is not heard from' : ''}. `
              : `${c.cause.name}, which this system depends on, is down, so this check is not counted as down. `}
            <Link href={`/sites/${c.siteId}`}>Open {c.siteName}</Link>
          </p>
        )}
      </section>

      <Section
        title="Last result"
        actions={
          canEdit && (
            <Button small variant="primary" busy={run.busy} onClick={() => run.submit()} disabled={c.paused}>
              Run now
            </Button>
          )
        }
      >
        <ErrorNotice error={run.error} />
        {ran && !ran.result && (
          <p className="notice notice-info" role="status">
            Sent to the site agent; its answer has not arrived yet. It shows here when it does.
          </p>
        )}
        {last ? (
          <dl
            className={`facts card ${justRan ? `run-result is-${last.status}` : ''}`}
            {...(justRan ? { role: 'status', 'aria-label': 'Run now result' } : {})}
          >
            <div>
              <dt>Result</dt>
              <dd>
                <StateDot state={last.status} /> <strong>{STATE_LABELS[last.status]}</strong>{' '}
                <span className="muted">{justRan ? 'just ran, by Run now' : timeAgo(last.at, now)}</span>
              </dd>
            </div>
            <div>
              <dt>Message</dt>
              <dd className="result-message">{last.message}</dd>
            </div>
            <div>
              <dt>Response time</dt>
              <dd>{formatLatency(last.latencyMs)}</dd>
            </div>
          </dl>
        ) : (
          <p className="muted">
            No result yet
            {c.nextRunAt
              ? `; first run ${timeAgo(c.nextRunAt, now) === 'just now' ? 'any moment' : `at ${clockTime(c.nextRunAt, now, c.timeZone)}`}`
              : ''}
            .
          </p>
        )}
      </Section>

      <LatencySection checkId={id} results={results.data?.items} uptime={uptime.data} now={now} />
      <UptimeSection uptime={uptime.data} />
      <StateChangesSection changes={changes.data?.items} now={now} timeZone={c.timeZone} />

      <Section title="Settings">
        <dl className="facts card">
          <div>
            <dt>Target</dt>
            <dd>
              <code className="host">{target(c)}</code>
            </dd>
          </div>
          <div>
            <dt>Runs</dt>
            <dd>
              every {formatInterval(c.intervalS)} from {c.probe === 'hub' ? 'the hub' : 'the site agent'}, timeout{' '}
              {c.timeoutMs % 1000 === 0 ? `${c.timeoutMs / 1000} s` : formatLatency(c.timeoutMs)}
            </dd>
          </div>
          <div>
            <dt>Counts as down</dt>
            <dd>
              after {c.failuresBeforeDown} failure{c.failuresBeforeDown === 1 ? '' : 's'} in a row; up again after{' '}
              {c.successesBeforeUp} success{c.successesBeforeUp === 1 ? '' : 'es'}
            </dd>
          </div>
          {c.nextRunAt && !c.paused && (
            <div>
              <dt>Next run</dt>
              <dd>{clockTime(c.nextRunAt, now, c.timeZone)}</dd>
            </div>
          )}
        </dl>
        {canEdit && (
          <PauseEditDelete
            noun="check"
            paused={c.paused}
            setPaused={(paused) => api.patch(`/api/checks/${id}`, { paused })}
            onChanged={refresh}
            onEdit={() => setEditing(true)}
            onDelete={() => setDeleting(true)}
          />
        )}
      </Section>

      {editing && (
        <CheckFormDialog
          system={{ id: c.systemId, name: c.systemName, host: null }}
          check={c}
          agents={agents.data?.items ?? []}
          onClose={() => setEditing(false)}
          onSaved={refresh}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${c.name}?`}
          message={<p>The check is removed with its results and history. This cannot be undone.</p>}
          confirmLabel="Delete check"
          onConfirm={() => api.del(`/api/checks/${id}`)}
          onClose={() => setDeleting(false)}
          onDone={() => navigate(`/sites/${c.siteId}`)}
        />
      )}
    </>
  );
}

/** "10.0.0.5:3389", "https://acme.example/", "MX acme.example". */
function target(c: Check): string {
  const p = c.params;
  if (typeof p['url'] === 'string') return p['url'];
  if (c.kind === 'dns')
    return `${String(p['type'] ?? 'A')} ${String(p['name'] ?? '')}${p['server'] ? ` @ ${String(p['server'])}` : ''}`;
  const host = String(p['host'] ?? '');
  if (p['port'] === undefined) return host;
  return host.includes(':') ? `[${host}]:${String(p['port'])}` : `${host}:${String(p['port'])}`; // an IPv6 address goes in brackets
}
