/**
 * A row of radio buttons drawn as one segmented control (a `radiogroup` named by `label`): the schedule
 * kind, where a check runs, support hours, Active/Archived/All.
 */
export function Segmented<T extends string>({
  label,
  name,
  value,
  choices,
  onChange,
  small = false,
  disabled,
}: {
  label: string;
  /** The radios' shared name; without one each radio stands alone for the keyboard, as before. */
  name?: string;
  value: T;
  choices: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
  small?: boolean;
  /** Which choices cannot be picked now. */
  disabled?: (value: T) => boolean;
}) {
  return (
    <div className={small ? 'segmented segmented-small' : 'segmented'} role="radiogroup" aria-label={label}>
      {choices.map(([v, text]) => (
        <label key={v} className={value === v ? 'is-on' : ''}>
          <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} disabled={disabled?.(v)} />
          {text}
        </label>
      ))}
    </div>
  );
}
