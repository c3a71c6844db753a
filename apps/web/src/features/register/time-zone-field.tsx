import { useId } from 'react';
import { Field } from '../../components/field';
import { allTimeZones, isTimeZone, localTime } from './time';

/** An IANA time zone: type to filter the list ("London", "New_York"); shows the time there. */
export function TimeZoneField({
  label = 'Time zone',
  value,
  onChange,
  error,
}: {
  label?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  const listId = useId();
  const valid = isTimeZone(value);
  const hint = valid ? `Now ${localTime(value, new Date())} there` : 'An IANA zone such as Europe/London';
  return (
    <Field label={label} error={error ?? (value && !valid ? 'is not a known time zone' : undefined)} hint={hint}>
      {(control) => (
        <>
          <input
            {...control}
            list={listId}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            required
          />
          <datalist id={listId}>
            {allTimeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
