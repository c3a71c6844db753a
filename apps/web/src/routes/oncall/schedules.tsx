import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialog';
import { TextField } from '../../components/field';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { type Layer, type OnCallSchedule, WEEKDAYS } from '../../features/oncall/types';
import { TimeZoneField } from '../../features/register/time-zone-field';
import { useMe } from '../../features/session/session';
import { formatWallTime } from '../../lib/date-format';
import { LayerDialog } from './layer-dialog';
import { FeedDialog } from '../../features/oncall/feed-dialog';
import './oncall.css';

function rotationText(l: Layer): string {
  const every = l.rotation === 'daily' ? 'daily' : l.rotation === 'weekly' ? 'weekly' : `every ${l.everyDays} days`;
  return `Hands over ${every} at ${formatWallTime(l.handoffTime)}, from ${l.startDate}`;
}

function restrictionText(l: Layer): string {
  if (!l.restrictions.length) return 'All day, every day';
  return l.restrictions
    .map(
      (r) =>
        `${r.days.map((d) => WEEKDAYS[d]).join(' ')} ${r.from === r.to ? 'all day' : `${formatWallTime(r.from)}–${formatWallTime(r.to)}`}`,
    )
    .join('; ');
}

/** Schedules and their layers (the top layer wins where it has someone); owners and admins edit. */
export function SchedulesScreen() {
  const { canManage } = useMe();
  const { data, error, loading, reload } = useApi<{ items: OnCallSchedule[] }>('/api/schedules');
  const [adding, setAdding] = useState(false);
  const [layerFor, setLayerFor] = useState<{ scheduleId: string; layer: Layer | null } | null>(null);
  const [deleting, setDeleting] = useState<{ what: string; path: string } | null>(null);
  const [feedFor, setFeedFor] = useState<OnCallSchedule | null>(null);
  return (
    <>
      <ScreenHeader
        title="Schedules"
        back={{ href: '/oncall', label: 'On call' }}
        actions={
          canManage && (
            <Button variant="primary" aria-label="New schedule" onClick={() => setAdding(true)}>
              <PlusIcon /> New
            </Button>
          )
        }
      />
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data && data.items.length === 0 && <Empty title="No schedules yet" />}
      {data?.items.map((s) => (
        <section key={s.id} className="card oncall-card" aria-label={s.name}>
          <div className="oncall-head">
            <h2>{s.name}</h2>
            <span className="badge badge-muted">{s.timeZone}</span>
          </div>
          {s.layers.length === 0 && <p className="muted">No layers: nobody is on call.</p>}
          <ol className="rows" aria-label={`Layers of ${s.name}`}>
            {[...s.layers].reverse().map((l) => (
              <li key={l.id} className="oncall-layer">
                <span className="row-title">{l.name}</span>
                <span className="row-meta">
                  {l.participants.map((p) => p.name).join(' → ')}
                  <br />
                  {rotationText(l)}
                  <br />
                  {restrictionText(l)}
                </span>
                {canManage && (
                  <span className="row-actions">
                    <Button
                      small
                      variant="ghost"
                      aria-label={`Edit layer ${l.name}`}
                      onClick={() => setLayerFor({ scheduleId: s.id, layer: l })}
                    >
                      Edit
                    </Button>
                    <Button
                      small
                      variant="ghost"
                      className="text-danger"
                      aria-label={`Delete layer ${l.name}`}
                      onClick={() => setDeleting({ what: `layer ${l.name}`, path: `/api/schedule-layers/${l.id}` })}
                    >
                      Delete
                    </Button>
                  </span>
                )}
              </li>
            ))}
          </ol>
          <div className="card-actions">
            <Link href={`/oncall/schedules/${s.id}/calendar`} className="btn btn-secondary btn-small">
              Four weeks
            </Link>
            {canManage && (
              <>
                <Button
                  small
                  aria-label={`Add layer to ${s.name}`}
                  onClick={() => setLayerFor({ scheduleId: s.id, layer: null })}
                >
                  Add layer
                </Button>
                <Button small variant="ghost" onClick={() => setFeedFor(s)}>
                  Calendar feed
                </Button>
                <Button
                  small
                  variant="ghost"
                  className="text-danger"
                  aria-label={`Delete schedule ${s.name}`}
                  onClick={() => setDeleting({ what: `schedule ${s.name}`, path: `/api/schedules/${s.id}` })}
                >
                  Delete
                </Button>
              </>
            )}
          </div>
        </section>
      ))}
      {adding && (
        <NewScheduleDialog
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            reload();
          }}
        />
      )}
      {layerFor && (
        <LayerDialog
          scheduleId={layerFor.scheduleId}
          layer={layerFor.layer}
          onClose={() => setLayerFor(null)}
          onDone={() => {
            setLayerFor(null);
            reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.what}?`}
          message={<p>Who is on call changes at once.</p>}
          confirmLabel="Delete"
          onConfirm={() => api.del(deleting.path)}
          onClose={() => setDeleting(null)}
          onDone={reload}
        />
      )}
      {feedFor && (
        <FeedDialog
          path={`/api/schedules/${feedFor.id}/ical`}
          title={`${feedFor.name} in a calendar app`}
          onClose={() => setFeedFor(null)}
        />
      )}
    </>
  );
}

function NewScheduleDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [name, setName] = useState('');
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const { busy, error, fields, submit } = useSubmit(() => api.post('/api/schedules', { name, timeZone }), onDone);
  return (
    <Dialog title="New schedule" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields['name']} />
        <TimeZoneField value={timeZone} onChange={setTimeZone} error={fields['timeZone']} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Make schedule
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
