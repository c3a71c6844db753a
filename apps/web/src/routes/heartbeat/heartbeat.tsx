import { useState } from 'react';
import { useLocation } from 'wouter';
import { api } from '../../api/client';
import type { Heartbeat } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ConfirmDialog } from '../../components/dialog';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { PauseEditDelete } from '../../components/pause-edit-delete';
import { HeartbeatFormDialog } from '../../features/heartbeats/lazy-heartbeat-form';
import { HeartbeatBadge, HeartbeatDot, LastResultText } from '../../features/heartbeats/heartbeat-state';
import { HEARTBEAT_TONE, describeSchedule, formatRunTime, formatSeconds } from '../../features/heartbeats/labels';
import { clockTime, duration } from '../../features/monitoring/state';
import { usePoll } from '../../features/monitoring/use-poll';
import { timeAgo } from '../../features/register/time';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';
import { isOtherZone } from '../../lib/date-format';
import { HistorySection } from './history';
import { LastFailure } from './last-failure';
import { PingUrlsSection } from './ping-urls';
import '../../features/heartbeats/backups.css';

/** One heartbeat: its state, ping URLs and a script, its schedule, and its pings and e-mails. */
export function HeartbeatScreen({ id }: { id: string }) {
  const { canEdit } = useMe();
  const [, navigate] = useLocation();
  const now = useNow(15_000);
  const { data: h, error, loading, reload } = useApi<Heartbeat>(`/api/heartbeats/${id}`);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  usePoll(reload);
  if (!h) {
    return (
      <>
        <ScreenHeader
          title={error?.status === 404 ? 'Heartbeat not found' : 'Heartbeat'}
          back={{ href: '/backups', label: 'Backups' }}
        />
        <ErrorNotice error={error} onRetry={error?.status === 404 ? undefined : reload} />
        {loading && <Loading />}
      </>
    );
  }
  return (
    <>
      <ScreenHeader
        title={h.name}
        back={{ href: `/backups/clients/${h.clientId}`, label: `${h.clientName} backups` }}
        subtitle={
          <>
            {h.clientName} · {h.siteName} · {h.systemName}
            {isOtherZone(h.timeZone) && ` · times at the site (${h.timeZone})`}
          </>
        }
      />
      <section className={`card verdict is-${HEARTBEAT_TONE[h.status]}`} aria-label="Current state">
        <div className="verdict-head">
          <HeartbeatDot status={h.status} />
          <HeartbeatBadge status={h.status} large />
          <span className="muted">
            since {clockTime(h.statusSince, now, h.timeZone)} · {duration(h.statusSince, now)}
          </span>
        </div>
        <p className="verdict-reason">{h.statusReason}</p>
        {h.runningSince && <p className="small">Running since {clockTime(h.runningSince, now, h.timeZone)}.</p>}
        <LastFailure heartbeat={h} now={now} />
      </section>

      <Section title="Schedule and state">
        <dl className="facts card">
          <div>
            <dt>Schedule</dt>
            <dd>
              {describeSchedule(h.schedule)}, grace {formatSeconds(h.schedule.graceS)}
            </dd>
          </div>
          <div>
            <dt>Last result</dt>
            <dd>
              <LastResultText lastResult={h.lastResult} now={now} />
              {h.lastResult && h.lastDurationMs !== null && `, ran ${formatRunTime(h.lastDurationMs)}`}
            </dd>
          </div>
          <div>
            <dt>Last success</dt>
            <dd>
              {h.lastSuccessAt
                ? `${clockTime(h.lastSuccessAt, now, h.timeZone)} (${timeAgo(h.lastSuccessAt, now)})`
                : 'never'}
            </dd>
          </div>
          {h.expectedAt && (
            <div>
              <dt>Expected</dt>
              <dd>
                by {clockTime(h.expectedAt, now, h.timeZone)}
                {h.downAt && `; down at ${clockTime(h.downAt, now, h.timeZone)} if nothing arrives`}
              </dd>
            </div>
          )}
          {(h.keywords.failure.length > 0 || h.keywords.success.length > 0 || h.keywords.start.length > 0) && (
            <div>
              <dt>Keywords</dt>
              <dd>
                {(['failure', 'success', 'start'] as const)
                  .filter((k) => h.keywords[k].length > 0)
                  .map((k) => `${k}: ${h.keywords[k].join(', ')}`)
                  .join(' · ')}
              </dd>
            </div>
          )}
          <div>
            <dt>E-mail reports</dt>
            <dd>
              {h.email.enabled ? (
                h.email.address ? (
                  <code>{h.email.address}</code>
                ) : (
                  'on; the hub has no report domain set'
                )
              ) : (
                'off'
              )}
            </dd>
          </div>
        </dl>
        {canEdit && (
          <PauseEditDelete
            noun="heartbeat"
            paused={h.paused}
            setPaused={(paused) => api.patch(`/api/heartbeats/${id}`, { paused })}
            onChanged={reload}
            onEdit={() => setEditing(true)}
            onDelete={() => setDeleting(true)}
          />
        )}
      </Section>

      <PingUrlsSection heartbeat={h} />
      <HistorySection heartbeatId={id} now={now} timeZone={h.timeZone} />

      {editing && (
        <HeartbeatFormDialog
          system={{ id: h.systemId, name: h.systemName }}
          heartbeat={h}
          onClose={() => setEditing(false)}
          onSaved={reload}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${h.name}?`}
          message={
            <p>The heartbeat is removed with its pings; its ping URL stops working. Its past changes of state stay.</p>
          }
          confirmLabel="Delete heartbeat"
          onConfirm={() => api.del(`/api/heartbeats/${id}`)}
          onClose={() => setDeleting(false)}
          onDone={() => navigate(`/backups/clients/${h.clientId}`)}
        />
      )}
    </>
  );
}
