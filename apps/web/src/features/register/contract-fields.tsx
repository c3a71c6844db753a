import type { Contract, SupportWindow, Weekday } from '../../api/types';
import { Button } from '../../components/button';
import { TextField } from '../../components/field';
import { PlusIcon } from '../../components/icons';
import { Segmented } from '../../components/segmented';
import { WEEKDAY_LABELS, WEEKDAYS } from './labels';
import { deviceTimeZone } from './time';
import { TimeZoneField } from './time-zone-field';
import { DEFAULT_PAGING, PagingFields, type PagingRules } from './paging-fields';

/** The contract as the form holds it: text for the number, windows kept while switching to 24/7. */
export interface ContractDraft {
  kind: 'always' | 'weekly';
  timeZone: string;
  windows: SupportWindow[];
  responseTargetMinutes: string;
  /** '' for the hub's default policy. */
  escalationPolicyId: string;
  paging: PagingRules;
}

const HOURS_KINDS = [
  ['always', '24/7'],
  ['weekly', 'Set hours'],
] as const;
const WEEKDAYS_8_18: SupportWindow[] = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
  day,
  start: '08:00',
  end: '18:00',
}));

export function contractDraft(contract: Contract | undefined): ContractDraft {
  const hours = contract?.supportHours;
  return {
    kind: hours?.kind ?? 'always',
    timeZone: hours?.kind === 'weekly' ? hours.timeZone : deviceTimeZone(),
    windows: hours?.kind === 'weekly' ? hours.windows : WEEKDAYS_8_18,
    responseTargetMinutes: String(contract?.responseTargetMinutes ?? 60),
    escalationPolicyId: contract?.escalationPolicyId ?? '',
    paging: contract?.paging ?? DEFAULT_PAGING,
  };
}

export function contractFromDraft(draft: ContractDraft): Contract {
  const minutes = Number(draft.responseTargetMinutes);
  return {
    supportHours:
      draft.kind === 'always'
        ? { kind: 'always' }
        : { kind: 'weekly', timeZone: draft.timeZone.trim(), windows: draft.windows },
    // An unparsable number goes as NaN→null so the hub names the field.
    responseTargetMinutes:
      Number.isFinite(minutes) && draft.responseTargetMinutes.trim() !== '' ? minutes : (null as unknown as number),
    escalationPolicyId: draft.escalationPolicyId || null,
    paging: draft.paging,
  };
}

interface Props {
  value: ContractDraft;
  onChange: (value: ContractDraft) => void;
  /** The hub's field errors, keyed by paths like contract.responseTargetMinutes. */
  fields: Record<string, string>;
  prefix?: string;
}

export function ContractFields({ value, onChange, fields, prefix = 'contract' }: Props) {
  const set = (patch: Partial<ContractDraft>) => onChange({ ...value, ...patch });
  const setWindow = (i: number, patch: Partial<SupportWindow>) =>
    set({ windows: value.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) });
  const f = (path: string) => fields[`${prefix}.${path}`];
  const hoursError = f('supportHours') ?? f('supportHours.windows');

  return (
    <fieldset className="fieldset">
      <legend>Contract</legend>
      <Segmented
        label="Support hours"
        name="support-hours"
        value={value.kind}
        choices={HOURS_KINDS}
        onChange={(kind) => set({ kind })}
      />

      {value.kind === 'weekly' && (
        <div className="windows">
          <TimeZoneField
            label="Contract time zone"
            value={value.timeZone}
            onChange={(timeZone) => set({ timeZone })}
            error={f('supportHours.timeZone')}
          />
          <div className="windows-presets">
            <Button small onClick={() => set({ windows: WEEKDAYS_8_18 })}>
              Weekdays 08–18
            </Button>
            <Button
              small
              onClick={() => set({ windows: WEEKDAYS.map((day) => ({ day, start: '07:00', end: '19:00' })) })}
            >
              Every day 07–19
            </Button>
          </div>
          <ol className="window-list">
            {value.windows.map((w, i) => {
              const err =
                f(`supportHours.windows.${i}.end`) ??
                f(`supportHours.windows.${i}.start`) ??
                f(`supportHours.windows.${i}`) ??
                f(`supportHours.windows.${i}.day`);
              return (
                <li key={i} className={err ? 'has-error' : ''}>
                  <select
                    aria-label={`Window ${i + 1} day`}
                    value={w.day}
                    onChange={(e) => setWindow(i, { day: e.target.value as Weekday })}
                  >
                    {WEEKDAYS.map((d) => (
                      <option key={d} value={d}>
                        {WEEKDAY_LABELS[d]}
                      </option>
                    ))}
                  </select>
                  <input
                    type="time"
                    aria-label={`Window ${i + 1} starts`}
                    value={w.start}
                    onChange={(e) => setWindow(i, { start: e.target.value })}
                  />
                  <span aria-hidden="true">–</span>
                  <input
                    type="time"
                    aria-label={`Window ${i + 1} ends`}
                    value={w.end}
                    onChange={(e) => setWindow(i, { end: e.target.value })}
                  />
                  <Button
                    small
                    variant="ghost"
                    aria-label={`Remove window ${i + 1}`}
                    onClick={() => set({ windows: value.windows.filter((_, j) => j !== i) })}
                  >
                    ✕
                  </Button>
                  {err && (
                    <p className="field-error">
                      Window {i + 1} {err}
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
          {hoursError && <p className="field-error">Support hours {hoursError}</p>}
          <Button
            small
            onClick={() => {
              const last = value.windows[value.windows.length - 1];
              const next = last ? WEEKDAYS[(WEEKDAYS.indexOf(last.day) + 1) % 7]! : 'mon';
              set({
                windows: [...value.windows, { day: next, start: last?.start ?? '08:00', end: last?.end ?? '18:00' }],
              });
            }}
          >
            <PlusIcon /> Add window
          </Button>
        </div>
      )}

      <TextField
        label="Response target (minutes)"
        type="number"
        inputMode="numeric"
        min={1}
        max={10080}
        value={value.responseTargetMinutes}
        onChange={(e) => set({ responseTargetMinutes: e.target.value })}
        error={f('responseTargetMinutes')}
        hint="How soon someone must respond to a problem, within support hours."
        required
      />
      <PagingFields value={value} onChange={onChange} fields={fields} prefix={prefix} />
    </fieldset>
  );
}
