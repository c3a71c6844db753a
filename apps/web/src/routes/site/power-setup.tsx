import { useState } from 'react';
import type { SitePower } from '@afterhours/shared';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { describeAction, describeUps } from '../../features/power/describe';
import { PlanDialog, RepinDialog, SystemPowerDialog, UpsFormDialog } from '../../features/power/lazy-dialogs';
import { clockTime, formatDateTime } from '../../lib/date-format';
import { instantOfZonedInput, zonedInput } from '../../lib/zoned-input';

type Ups = SitePower['ups'][number];
type SystemPower = SitePower['systems'][number];
type Open =
  | { kind: 'ups'; ups?: Ups }
  | { kind: 'remove-ups'; ups: Ups }
  | { kind: 'actions'; system: SystemPower }
  | { kind: 'repin'; system: SystemPower }
  | { kind: 'plan' }
  | null;

interface PlanShape {
  stages: { name: string; systemIds: string[]; timeoutSeconds: number }[];
  triggers: { onBatteryMinutes: number | null; runtimeBelowMinutes: number | null; onLowBattery: boolean };
}

/** What starts the plan, in words: "after 5 min on battery, below 10 min runtime, on low battery". */
function triggerText(plan: PlanShape): string {
  const t = plan.triggers;
  const parts = [
    t.onBatteryMinutes !== null && `after ${t.onBatteryMinutes} min on battery`,
    t.runtimeBelowMinutes !== null && `below ${t.runtimeBelowMinutes} min runtime`,
    t.onLowBattery && 'on low battery',
  ].filter(Boolean);
  return parts.length ? `Starts ${parts.join(', ')}.` : 'Starts only when someone presses the button.';
}

/**
 * Setting the site's power up from the phone: its UPSes, how each system is shut down and started, the
 * plan's stages and triggers, planned outages, and the SSH host keys pinned (re-pinned by an owner or admin).
 */
export function PowerSetup({
  power,
  timeZone,
  canEdit,
  canManage,
  now,
  onChanged,
}: {
  power: SitePower;
  timeZone: string;
  canEdit: boolean;
  canManage: boolean;
  now: Date;
  onChanged: () => void;
}) {
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const plan = (power.plan ?? power.suggestedPlan) as unknown as PlanShape;
  const name = (id: string) => power.systems.find((s) => s.systemId === id)?.systemName ?? 'a removed system';
  return (
    <>
      <h3 className="subheading">UPS</h3>
      <ul className="card rows" aria-label="UPSes">
        {power.ups.map((u) => (
          <li key={u.id} className="row row-static row-stacked">
            <span className="row-main">
              <span className="row-title">{u.name}</span>
              <span className="row-meta">
                {describeUps(u)} · read every {u.pollSeconds ?? 5} s · back after {u.stableMinutes ?? 5} min stable
              </span>
            </span>
            {canEdit && (
              <span className="row-actions">
                <Button small onClick={() => setOpen({ kind: 'ups', ups: u })} aria-label={`Edit ${u.name}`}>
                  Edit
                </Button>
                <Button small variant="ghost" onClick={() => setOpen({ kind: 'remove-ups', ups: u })}>
                  Remove
                </Button>
              </span>
            )}
          </li>
        ))}
        {power.ups.length === 0 && (
          <li className="row row-static muted small">No UPS yet: the agent cannot tell when the power goes.</li>
        )}
      </ul>
      {canEdit && (
        <div className="form-actions">
          <Button small onClick={() => setOpen({ kind: 'ups' })}>
            Add UPS
          </Button>
        </div>
      )}

      <h3 className="subheading">Plan</h3>
      <div className="card form-card" aria-label="Plan">
        {!power.plan && <p className="small muted">No plan saved: this is the order suggested by the dependencies.</p>}
        <ol className="small">
          {plan.stages.map((s) => (
            <li key={s.name}>
              <strong>{s.name}</strong>:{' '}
              {s.systemIds
                .filter((id) => id !== '-')
                .map(name)
                .join(', ') || 'no systems'}{' '}
              <span className="muted">(each up to {Math.round(s.timeoutSeconds / 60)} min)</span>
            </li>
          ))}
        </ol>
        <p className="small">{triggerText(plan)}</p>
        {canEdit && (
          <div className="form-actions">
            <Button small onClick={() => setOpen({ kind: 'plan' })} disabled={power.systems.length === 0}>
              {power.plan ? 'Edit plan' : 'Set up plan'}
            </Button>
          </div>
        )}
      </div>

      <h3 className="subheading">Each system</h3>
      <ul className="card rows" aria-label="Power of each system">
        {power.systems.map((s) => (
          <li key={s.systemId} className="row row-static row-stacked">
            <span className="row-main">
              <span className="row-title">{s.systemName}</span>
              <span className="row-meta">Off: {describeAction(s.shutdown)}</span>
              <span className="row-meta">On: {describeAction(s.startup)}</span>
              {s.shutdown?.kind === 'ssh' && (
                <span className="row-meta wrap-anywhere">
                  {s.hostKey
                    ? `Host key ${s.hostKey}${s.hostKeyPinnedAt ? `, pinned ${clockTime(s.hostKeyPinnedAt, now)}` : ''}`
                    : 'Host key not pinned yet: pinned at the first connection'}
                </span>
              )}
              {s.hostKeyRefused && (
                <span className="notice notice-error small power-key-alert" role="alert">
                  Host key changed: the server showed {s.hostKeyRefused}
                  {s.hostKeyRefusedAt ? ` at ${clockTime(s.hostKeyRefusedAt, now)}` : ''}. The shutdown was not sent.
                </span>
              )}
            </span>
            {canEdit && (
              <span className="row-actions">
                <Button
                  small
                  onClick={() => setOpen({ kind: 'actions', system: s })}
                  aria-label={`Edit power of ${s.systemName}`}
                >
                  Edit
                </Button>
                {canManage && s.shutdown?.kind === 'ssh' && (
                  <Button small variant="ghost" onClick={() => setOpen({ kind: 'repin', system: s })}>
                    {s.hostKey ? 'Re-pin key' : 'Pin key'}
                  </Button>
                )}
              </span>
            )}
          </li>
        ))}
        {power.systems.length === 0 && <li className="row row-static muted small">No systems at this site yet.</li>}
      </ul>

      <Outages power={power} timeZone={timeZone} canEdit={canEdit} now={now} onChanged={onChanged} />

      {open?.kind === 'ups' && (
        <UpsFormDialog siteId={power.siteId} ups={open.ups} onClose={close} onSaved={onChanged} />
      )}
      {open?.kind === 'remove-ups' && (
        <ConfirmDialog
          title={`Remove ${open.ups.name}?`}
          message={<p>The agent stops reading it. Plans no longer start on its battery.</p>}
          confirmLabel="Remove UPS"
          onConfirm={() => api.del(`/api/power/ups/${open.ups.id}`)}
          onClose={close}
          onDone={onChanged}
        />
      )}
      {open?.kind === 'actions' && <SystemPowerDialog system={open.system} onClose={close} onSaved={onChanged} />}
      {open?.kind === 'repin' && <RepinDialog system={open.system} onClose={close} onSaved={onChanged} />}
      {open?.kind === 'plan' && <PlanDialog power={power} onClose={close} onSaved={onChanged} />}
    </>
  );
}

/**
 * Planned outages from the power company: the site shows "power at risk"; a plan may start when one opens.
 * Their times are the site's wall clock (the power company's letter), whatever zone the phone is in.
 */
function Outages({
  power,
  timeZone,
  canEdit,
  now,
  onChanged,
}: {
  power: SitePower;
  timeZone: string;
  canEdit: boolean;
  now: Date;
  onChanged: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const [startsAt, setStartsAt] = useState(() => zonedInput(new Date(now.getTime() + 86_400_000), timeZone));
  const [endsAt, setEndsAt] = useState(() => zonedInput(new Date(now.getTime() + 86_400_000 + 8 * 3600_000), timeZone));
  const [note, setNote] = useState('');
  const iso = (local: string) => instantOfZonedInput(local, timeZone);
  const save = useSubmit(
    () => api.post(`/api/sites/${power.siteId}/power/outages`, { startsAt: iso(startsAt), endsAt: iso(endsAt), note }),
    () => {
      setAdding(false);
      setNote('');
      onChanged();
    },
  );
  const [removing, setRemoving] = useState<SitePower['outages'][number] | null>(null);
  return (
    <>
      <h3 className="subheading">Planned outages</h3>
      <p className="muted small">Times at the site ({timeZone})</p>
      <ul className="card rows" aria-label="Planned outages">
        {power.outages.map((o) => (
          <li key={o.id} className="row row-static">
            <span className="row-main">
              <span className="row-title">
                {formatDateTime(o.startsAt, timeZone)} to {formatDateTime(o.endsAt, timeZone)}
              </span>
              {o.note && <span className="row-meta">{o.note}</span>}
            </span>
            {canEdit && (
              <span className="row-actions">
                <Button small variant="ghost" onClick={() => setRemoving(o)}>
                  Remove
                </Button>
              </span>
            )}
          </li>
        ))}
        {power.outages.length === 0 && <li className="row row-static muted small">None planned.</li>}
      </ul>
      {canEdit && !adding && (
        <div className="form-actions">
          <Button small onClick={() => setAdding(true)}>
            Add planned outage
          </Button>
        </div>
      )}
      {adding && (
        <form className="card form-card" onSubmit={save.submit} aria-label="Add planned outage">
          <p className="small">Times at the site ({timeZone})</p>
          {/* One above the other: two date-and-time inputs side by side do not fit a phone. */}
          <div>
            <TextField
              label="From"
              type="datetime-local"
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
              error={save.fields.startsAt}
            />
            <TextField
              label="To"
              type="datetime-local"
              value={endsAt}
              onChange={(e) => setEndsAt(e.target.value)}
              error={save.fields.endsAt}
            />
          </div>
          <TextField
            label="Note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={save.fields.note}
            placeholder="Street works, per the power company"
          />
          <ErrorNotice error={save.error && Object.keys(save.fields).length === 0 ? save.error : undefined} />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={save.busy}>
              Add
            </Button>
            <Button variant="ghost" onClick={() => setAdding(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {removing && (
        <ConfirmDialog
          title="Remove this planned outage?"
          message={<p>{removing.note || 'The site no longer shows power at risk for it.'}</p>}
          confirmLabel="Remove"
          onConfirm={() => api.del(`/api/power/outages/${removing.id}`)}
          onClose={() => setRemoving(null)}
          onDone={onChanged}
        />
      )}
    </>
  );
}
