import { useState } from 'react';
import type { SitePower } from '@afterhours/shared';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField, OtherFieldErrors, SelectField, TextField, formErrors } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { Segmented } from '../../components/segmented';

/** The plan as packages/power's powerPlan holds it (the hub validates it; these are the fields the form edits). */
interface Plan {
  stages: { name: string; systemIds: string[]; timeoutSeconds?: number; onTimeout?: 'continue' | 'stop' }[];
  triggers?: {
    onBatteryMinutes?: number | null;
    runtimeBelowMinutes?: number | null;
    onLowBattery?: boolean;
    onOutageWindow?: boolean;
    startupWhenStable?: boolean;
  };
  powerReturnPolicy?: 'complete' | 'reverse';
  stableMinutes?: number;
}

interface StageDraft {
  key: number;
  name: string;
  systemIds: string[];
  timeoutMinutes: string;
  onTimeout: 'continue' | 'stop';
}

const POLICIES = [
  ['reverse', 'Stop and start up again'],
  ['complete', 'Finish, then start up'],
] as const;

/** Numbers as typed; text that does not parse goes to the hub as is, so it names the field; empty is null. */
const num = (text: string): number | string | null => {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
};
const seconds = (minutes: string): number | string => {
  const n = num(minutes);
  return typeof n === 'number' ? Math.round(n * 60) : (n ?? 180);
};
const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

let nextKey = 1;
const draftOf = (s: Plan['stages'][number]): StageDraft => ({
  key: nextKey++,
  name: s.name,
  systemIds: s.systemIds.filter((id) => id !== '-'),
  timeoutMinutes: text((s.timeoutSeconds ?? 180) / 60),
  onTimeout: s.onTimeout ?? 'continue',
});

/**
 * The site's shutdown plan: stages in order (startup runs them the other way), the systems of each, how
 * long each may take, and what starts it. Reordering is by buttons, so it works with a thumb.
 */
export function PlanDialog({
  power,
  onClose,
  onSaved,
}: {
  power: SitePower;
  onClose: () => void;
  onSaved: () => void;
}) {
  const start = (power.plan ?? power.suggestedPlan) as unknown as Plan;
  const [stages, setStages] = useState<StageDraft[]>(() => start.stages.map(draftOf));
  const t = start.triggers ?? {};
  const [onBattery, setOnBattery] = useState(text(t.onBatteryMinutes === undefined ? 5 : t.onBatteryMinutes));
  const [runtimeBelow, setRuntimeBelow] = useState(text(t.runtimeBelowMinutes));
  const [onLowBattery, setOnLowBattery] = useState(t.onLowBattery ?? true);
  const [onOutage, setOnOutage] = useState(t.onOutageWindow ?? false);
  const [startupWhenStable, setStartupWhenStable] = useState(t.startupWhenStable ?? false);
  const [stable, setStable] = useState(text(start.stableMinutes ?? 5));
  const [policy, setPolicy] = useState<'complete' | 'reverse'>(start.powerReturnPolicy ?? 'reverse');

  const change = (key: number, patch: Partial<StageDraft>) =>
    setStages((all) => all.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  const move = (index: number, by: -1 | 1) => {
    clear(); // its errors were by position
    setStages((all) => {
      const next = [...all];
      const [stage] = next.splice(index, 1);
      next.splice(index + by, 0, stage!);
      return next;
    });
  };
  /** A system is in one stage only: ticking it in one takes it out of the others. */
  const toggle = (key: number, systemId: string, on: boolean) =>
    setStages((all) =>
      all.map((s) => ({
        ...s,
        systemIds:
          s.key === key
            ? on
              ? [...s.systemIds, systemId]
              : s.systemIds.filter((id) => id !== systemId)
            : on
              ? s.systemIds.filter((id) => id !== systemId)
              : s.systemIds,
      })),
    );

  const plan = () => ({
    stages: stages.map((s) => ({
      name: s.name,
      systemIds: s.systemIds,
      timeoutSeconds: seconds(s.timeoutMinutes),
      onTimeout: s.onTimeout,
    })),
    triggers: {
      onBatteryMinutes: num(onBattery),
      runtimeBelowMinutes: num(runtimeBelow),
      onLowBattery,
      onOutageWindow: onOutage,
      startupWhenStable,
    },
    powerReturnPolicy: policy,
    stableMinutes: num(stable) ?? 5,
  });
  const { busy, error, fields, submit, clear } = useSubmit(
    () => api.put(`/api/sites/${power.siteId}/power/plan`, { plan: plan() }),
    () => {
      onClose();
      onSaved();
    },
  );
  const stageKeys = stages.flatMap((_, i) =>
    ['name', 'systemIds', 'timeoutSeconds', 'onTimeout'].map((k) => `plan.stages.${i}.${k}`),
  );
  const triggerKeys = ['onBatteryMinutes', 'runtimeBelowMinutes'].map((k) => `plan.triggers.${k}`);
  const { summary, others } = formErrors(error, fields, [...stageKeys, ...triggerKeys, 'plan.stableMinutes']);
  const unplaced = power.systems.filter((s) => !stages.some((st) => st.systemIds.includes(s.systemId)));

  return (
    <Dialog title="Power plan" onClose={onClose} wide>
      <form onSubmit={submit} noValidate aria-label="Power plan">
        <ErrorNotice error={summary} />
        <p className="muted small">
          Shutdown runs the stages from the top, the systems of a stage together; startup runs them from the bottom.
        </p>
        <ol className="plan-stages">
          {stages.map((stage, i) => (
            <li key={stage.key} className="card form-card" aria-label={`Stage ${i + 1}`}>
              <div className="field-pair">
                <TextField
                  label={`Stage ${i + 1}`}
                  value={stage.name}
                  onChange={(e) => change(stage.key, { name: e.target.value })}
                  error={fields[`plan.stages.${i}.name`]}
                />
                <TextField
                  label="Each may take (min)"
                  inputMode="decimal"
                  value={stage.timeoutMinutes}
                  onChange={(e) => change(stage.key, { timeoutMinutes: e.target.value })}
                  error={fields[`plan.stages.${i}.timeoutSeconds`]}
                />
              </div>
              <fieldset className="fieldset">
                <legend>Systems</legend>
                {power.systems.map((s) => (
                  <CheckboxField
                    key={s.systemId}
                    label={s.systemName}
                    checked={stage.systemIds.includes(s.systemId)}
                    onChange={(on) => toggle(stage.key, s.systemId, on)}
                  />
                ))}
                {fields[`plan.stages.${i}.systemIds`] && (
                  <p className="field-error">Systems: {fields[`plan.stages.${i}.systemIds`]}</p>
                )}
              </fieldset>
              <SelectField
                label="If one is not down in time"
                value={stage.onTimeout}
                onChange={(e) => change(stage.key, { onTimeout: e.target.value as 'continue' | 'stop' })}
                options={[
                  { value: 'continue', label: 'Go on with the next stage' },
                  { value: 'stop', label: 'Stop the plan here' },
                ]}
              />
              <div className="form-actions">
                <Button small onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move stage ${i + 1} up`}>
                  ↑ Earlier
                </Button>
                <Button
                  small
                  onClick={() => move(i, 1)}
                  disabled={i === stages.length - 1}
                  aria-label={`Move stage ${i + 1} down`}
                >
                  ↓ Later
                </Button>
                <Button
                  small
                  variant="ghost"
                  onClick={() => {
                    clear(); // its errors were by position
                    setStages((all) => all.filter((s) => s.key !== stage.key));
                  }}
                  disabled={stages.length === 1}
                >
                  Remove stage
                </Button>
              </div>
            </li>
          ))}
        </ol>
        {unplaced.length > 0 && (
          <p className="small">Not in the plan (left running): {unplaced.map((s) => s.systemName).join(', ')}</p>
        )}
        <div className="form-actions">
          <Button
            small
            onClick={() =>
              setStages((all) => [
                ...all,
                {
                  key: nextKey++,
                  name: `Stage ${all.length + 1}`,
                  systemIds: [],
                  timeoutMinutes: '3',
                  onTimeout: 'continue',
                },
              ])
            }
          >
            Add stage
          </Button>
          <Button
            small
            variant="ghost"
            onClick={() => setStages((power.suggestedPlan as unknown as Plan).stages.map(draftOf))}
          >
            Use the order from dependencies
          </Button>
        </div>

        <fieldset className="fieldset">
          <legend>Start the shutdown</legend>
          <div className="field-pair">
            <TextField
              label="On battery for (min)"
              inputMode="decimal"
              value={onBattery}
              onChange={(e) => setOnBattery(e.target.value)}
              error={fields['plan.triggers.onBatteryMinutes']}
              hint="Empty: not on time alone."
            />
            <TextField
              label="Runtime below (min)"
              inputMode="decimal"
              value={runtimeBelow}
              onChange={(e) => setRuntimeBelow(e.target.value)}
              error={fields['plan.triggers.runtimeBelowMinutes']}
              hint="Empty: not on runtime."
            />
          </div>
          <CheckboxField
            label="On low battery or a forced shutdown (FSD)"
            checked={onLowBattery}
            onChange={setOnLowBattery}
          />
          <CheckboxField label="When a planned outage starts" checked={onOutage} onChange={setOnOutage} />
        </fieldset>
        <fieldset className="fieldset">
          <legend>Power back</legend>
          <TextField
            label="Stable for (min) before starting up"
            inputMode="decimal"
            value={stable}
            onChange={(e) => setStable(e.target.value)}
            error={fields['plan.stableMinutes']}
          />
          <CheckboxField
            label="Start up by itself once power is stable"
            checked={startupWhenStable}
            onChange={setStartupWhenStable}
            hint="Otherwise a person starts it from here."
          />
          <p className="field-hint">If power comes back during the shutdown:</p>
          <Segmented
            label="If power comes back during the shutdown"
            name="policy"
            value={policy}
            choices={POLICIES}
            onChange={setPolicy}
            small
          />
        </fieldset>
        <OtherFieldErrors others={others} name={(key) => key.replace(/^plan\.?/, '') || 'Plan'} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save plan
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
