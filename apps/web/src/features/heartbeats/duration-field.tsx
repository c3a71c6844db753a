import { Field } from '../../components/field';

export const DURATION_UNITS = [
  ['60', 'minutes'],
  ['3600', 'hours'],
  ['86400', 'days'],
] as const;

export interface Duration {
  amount: string;
  /** Seconds per unit, as text (a select's value). */
  unit: string;
}

/** The biggest unit that divides `seconds` evenly (minutes at least). */
export function toDuration(seconds: number): Duration {
  for (const [unit] of [...DURATION_UNITS].reverse())
    if (seconds % Number(unit) === 0) return { amount: String(seconds / Number(unit)), unit };
  return { amount: String(seconds / 60), unit: '60' };
}

/** Seconds; text that does not parse goes to the hub as is, so the hub names the field. */
export function toSeconds(d: Duration): number | string {
  const n = Number(d.amount.trim());
  return d.amount.trim() !== '' && Number.isFinite(n) ? Math.round(n * Number(d.unit)) : d.amount;
}

/** A number and its unit, one label; the unit select is named "<label> unit". */
export function DurationField({
  label,
  value,
  onChange,
  error,
  hint,
}: {
  label: string;
  value: Duration;
  onChange: (d: Duration) => void;
  error?: string | undefined;
  hint?: string;
}) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(control) => (
        <div className="duration-input">
          <input
            {...control}
            inputMode="decimal"
            value={value.amount}
            onChange={(e) => onChange({ ...value, amount: e.target.value })}
          />
          <select
            aria-label={`${label} unit`}
            value={value.unit}
            onChange={(e) => onChange({ ...value, unit: e.target.value })}
          >
            {DURATION_UNITS.map(([v, text]) => (
              <option key={v} value={v}>
                {text}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}
