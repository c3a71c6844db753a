import { useState } from 'react';
import type { ClientSitePower, SitePowerView } from '@afterhours/shared';
import { api } from '../../api/client';
import type { ApiState } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { TextField } from '../../components/field';
import { ConfirmDialog } from '../../components/dialog';
import { Section } from '../../components/layout';
import { Segmented } from '../../components/segmented';
import { ErrorNotice } from '../../components/notice';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';
import { clockTime, formatDateTime } from '../../lib/date-format';
import { PowerSetup } from './power-setup';

const PROOFS = [
  ['code', 'Authenticator code'],
  ['password', 'Password'],
] as const;

interface DryRun {
  summary: string;
  shutdown: { stage: string; maxSeconds: number; systems: { name: string; command: string }[] }[];
}

const LABEL: Record<string, string> = {
  online: 'On line',
  'on-battery': 'On battery',
  'low-battery': 'Low battery',
  unknown: 'Unknown',
};

/** Minutes left on the battery, counting down from the agent's last reading. */
function runtimeLeft(p: NonNullable<SitePowerView['now']>, now: Date): string | null {
  if (p.runtimeSeconds === null) return null;
  const onBattery = p.state === 'on-battery' || p.state === 'low-battery';
  const elapsed = onBattery ? Math.max(0, (now.getTime() - Date.parse(p.updatedAt)) / 1000) : 0;
  const left = Math.max(0, p.runtimeSeconds - elapsed);
  return `${Math.floor(left / 60)} min ${String(Math.floor(left % 60)).padStart(2, '0')} s`;
}

export const isOnBattery = (p: SitePowerView | undefined) =>
  p?.now?.state === 'on-battery' || p?.now?.state === 'low-battery';

/**
 * The site's power at a glance, its plan's dry-run, power events, "shut down this site now" and "start it
 * up", then the setup (UPSes, plan, systems' actions, outages). The site screen fetches `power` and puts
 * this section first while the site is on battery.
 */
export function PowerSection({
  power,
  siteName,
  timeZone,
  canEdit,
  canManage,
}: {
  power: ApiState<SitePowerView>;
  siteName: string;
  /** The site's zone: planned outages are entered and shown in it. */
  timeZone: string;
  canEdit: boolean;
  canManage: boolean;
}) {
  const { user } = useMe();
  const siteId = power.data?.siteId ?? '';
  const now = useNow(1000);
  const [proof, setProof] = useState<'password' | 'code'>(user.totpEnabled ? 'code' : 'password');
  const [startingUp, setStartingUp] = useState(false);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [password, setPassword] = useState('');
  const [ordered, setOrdered] = useState(false);
  const loadDry = useSubmit(() => api.get<DryRun>(`/api/sites/${siteId}/power/dry-run`), setDry);
  const shutdown = useSubmit(
    () =>
      api.post(
        `/api/sites/${siteId}/power/shutdown`,
        proof === 'code' ? { siteName: typed, code: password.trim() } : { siteName: typed, password },
      ),
    () => {
      setConfirming(false);
      setOrdered(true);
      setPassword('');
      power.reload();
    },
  );
  const p = power.data;
  if (!p) return <ErrorNotice error={power.error} onRetry={power.reload} />;
  if (p.view === 'client') return <ClientPower power={p} timeZone={timeZone} now={now} />;
  const state = p.now?.state ?? 'unknown';
  const onBattery = state === 'on-battery' || state === 'low-battery';
  const shutDown = p.systems.filter((s) => s.shutDownByPlanAt);
  return (
    <Section title="Power">
      <PowerNow
        power={p}
        upsCount={p.ups.length}
        shutDown={shutDown.map((s) => ({ systemName: s.systemName, at: s.shutDownByPlanAt! }))}
        now={now}
      />
      <div className="form-actions power-buttons">
        <Button small onClick={() => loadDry.submit()} busy={loadDry.busy}>
          Dry-run the plan
        </Button>
        {canEdit && shutDown.length > 0 && !onBattery && (
          <Button small variant="primary" onClick={() => setStartingUp(true)}>
            Start the site up
          </Button>
        )}
        {canEdit && !confirming && (
          <Button small variant="danger" onClick={() => setConfirming(true)}>
            Shut down this site now
          </Button>
        )}
      </div>
      <ErrorNotice error={loadDry.error} />
      {dry && (
        <div className="card form-card" aria-label="Dry-run">
          <p className="row-title">{dry.summary}</p>
          <ol className="small">
            {dry.shutdown.map((stage) => (
              <li key={stage.stage}>
                {stage.stage} (up to {Math.round(stage.maxSeconds / 60)} min):{' '}
                {stage.systems.map((s) => `${s.name} — ${s.command}`).join('; ')}
              </li>
            ))}
          </ol>
        </div>
      )}
      {ordered && <p className="small">Shutdown ordered: the site's agent runs the plan.</p>}
      {confirming && (
        <form className="card form-card" onSubmit={shutdown.submit} aria-label="Shut down this site now">
          <p className="small">
            This shuts down every system in the plan, stage by stage. Type <strong>{siteName}</strong> and your{' '}
            {proof === 'code' ? 'current code' : 'password'} to confirm.
          </p>
          <TextField
            label="Site name"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            error={shutdown.fields.siteName}
            autoComplete="off"
            required
          />
          {user.totpEnabled && (
            <Segmented
              label="Confirm with"
              name="proof"
              value={proof}
              choices={PROOFS}
              onChange={(v) => {
                setProof(v);
                setPassword('');
              }}
              small
            />
          )}
          {proof === 'code' ? (
            <TextField
              label="Code from your authenticator"
              inputMode="numeric"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={shutdown.fields.code}
              autoComplete="one-time-code"
              required
            />
          ) : (
            <TextField
              label="Your password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={shutdown.fields.password}
              autoComplete="current-password"
              required
            />
          )}
          <ErrorNotice
            error={
              shutdown.error && !shutdown.fields.siteName && !shutdown.fields.password && !shutdown.fields.code
                ? shutdown.error
                : undefined
            }
          />
          <div className="form-actions">
            <Button type="submit" variant="danger" busy={shutdown.busy} disabled={typed.trim() !== siteName}>
              Shut down {siteName}
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {startingUp && (
        <ConfirmDialog
          title={`Start ${siteName} up?`}
          message={
            <p>
              The agent starts the {shutDown.length} system{shutDown.length === 1 ? '' : 's'} the plan shut down, in
              reverse order, each once the previous stage's checks are up.
            </p>
          }
          confirmLabel="Start up"
          danger={false}
          onConfirm={() => api.post(`/api/sites/${siteId}/power/startup`, {})}
          onClose={() => setStartingUp(false)}
          onDone={power.reload}
        />
      )}
      <PowerEvents power={p} now={now} />
      {p.log.length > 0 && (
        <details className="card form-card">
          <summary>What the plan did ({p.log.length} lines)</summary>
          <ul className="small" aria-label="Power log">
            {p.log.slice(0, 30).map((l, i) => (
              <li key={`${l.runId}-${i}`} className={l.level === 'warning' ? 'warn-text' : undefined}>
                {clockTime(l.at, now)} · {l.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      {/* During a power cut the setup folds away: runtime, the plan's progress and the buttons matter. */}
      <details className="power-setup" open={!onBattery}>
        <summary>Setup: UPS, plan, each system, planned outages</summary>
        <PowerSetup
          power={p}
          timeZone={timeZone}
          canEdit={canEdit}
          canManage={canManage}
          now={now}
          onChanged={power.reload}
        />
      </details>
    </Section>
  );
}

/** State, charge and runtime, an outage planned, systems the plan shut down: the same for the team and the client. */
function PowerNow({
  power: p,
  upsCount,
  shutDown,
  now,
}: {
  power: SitePowerView;
  upsCount: number;
  shutDown: { systemName: string; at: string }[];
  now: Date;
}) {
  const state = p.now?.state ?? 'unknown';
  const onBattery = state === 'on-battery' || state === 'low-battery';
  return (
    <div className="card form-card" aria-label="Power now">
      <p className="row-title">
        <span className={`badge ${onBattery ? 'badge-danger' : state === 'online' ? 'badge-ok' : 'badge-info'}`}>
          {LABEL[state]}
        </span>{' '}
        {onBattery && p.now?.onBatterySince && `since ${clockTime(p.now.onBatterySince, now)}`}
        {p.atRisk && <span className="badge badge-info">Power at risk: outage planned</span>}
      </p>
      {p.now ? (
        <p className="muted small">
          {p.now.chargePercent !== null && `Charge ${p.now.chargePercent}%`}
          {runtimeLeft(p.now, now) && ` · Runtime ${runtimeLeft(p.now, now)}`}
          {p.now.loadPercent !== null && ` · Load ${p.now.loadPercent}%`}
        </p>
      ) : (
        <p className="muted small">{upsCount ? 'No reading from the UPS yet.' : 'No UPS set up for this site.'}</p>
      )}
      {shutDown.map((s) => (
        <p key={s.systemName} className="small">
          {s.systemName}: shut down by plan at {clockTime(s.at, now)}
        </p>
      ))}
    </div>
  );
}

function PowerEvents({ power: p, now }: { power: SitePowerView; now: Date }) {
  if (p.events.length === 0) return null;
  return (
    <ul className="card rows" aria-label="Power events">
      {p.events.slice(0, 5).map((e) => (
        <li key={e.id} className="row row-static">
          <span className="row-main">
            <span className="row-title">{LABEL[e.kind] ?? e.kind}</span>
            <span className="row-meta">
              {clockTime(e.at, now)} · {e.message}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A client user's view: protected or not, the last run, planned outages; nothing of the set-up. */
function ClientPower({ power: p, timeZone, now }: { power: ClientSitePower; timeZone: string; now: Date }) {
  return (
    <Section title="Power">
      <PowerNow power={p} upsCount={p.upsNames.length} shutDown={p.shutDownByPlan} now={now} />
      <div className="card form-card" aria-label="Power protection">
        <p className="row-title">Power protected: {p.protected ? 'yes' : 'no'}</p>
        <p className="muted small">
          {p.protected
            ? `A UPS (${p.upsNames.join(', ')}) is watched; a long cut shuts the systems down safely.`
            : 'Ask your IT team about a UPS and a shutdown plan for this site.'}
          {p.lastRunAt && ` Last shutdown or start-up run: ${clockTime(p.lastRunAt, now)}.`}
        </p>
        {p.outages.map((o) => (
          <p key={o.id} className="small">
            Planned outage {formatDateTime(o.startsAt, timeZone)} – {formatDateTime(o.endsAt, timeZone)} (site time)
            {o.note && `: ${o.note}`}
          </p>
        ))}
      </div>
      <PowerEvents power={p} now={now} />
    </Section>
  );
}
