import { useId, useState } from 'react';
import { Field } from '../../components/field';
import { allTimeZones, isTimeZone, localTime } from './time';

/** Up to `max` zones whose name contains what was typed ("london", "new york", "sydney"), best first. */
export function zoneSuggestions(typed: string, max = 4): string[] {
  const needle = typed.trim().toLowerCase().replace(/\s+/g, '_');
  if (needle.length < 2) return [];
  const scored: [number, string][] = [];
  for (const zone of allTimeZones()) {
    const name = zone.toLowerCase();
    const city = name.slice(name.lastIndexOf('/') + 1);
    const score = city.startsWith(needle) ? 0 : name.startsWith(needle) ? 1 : name.includes(needle) ? 2 : -1;
    if (score >= 0) scored.push([score, zone]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, max)
    .map(([, zone]) => zone);
}

/**
 * An IANA time zone: type part of it ("London", "new york") and pick one of the zones offered; shows the
 * time there. An unknown zone is said once the field is left (or by the hub on save), not while typing.
 */
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
  const [left, setLeft] = useState(false);
  const valid = isTimeZone(value);
  const suggestions = valid ? [] : zoneSuggestions(value);
  const hint = valid ? `Now ${localTime(value, new Date())} there` : 'Type a city, e.g. London, and pick its zone';
  const shownError = error ?? (left && value && !valid ? 'is not a known time zone' : undefined);
  return (
    <Field label={label} error={shownError} hint={hint}>
      {(control) => (
        <>
          <input
            {...control}
            list={listId}
            value={value}
            onChange={(e) => (onChange(e.target.value), setLeft(false))}
            onBlur={() => setLeft(true)}
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
          {suggestions.length > 0 && (
            <div className="zone-suggestions" role="group" aria-label="Matching zones">
              {suggestions.map((zone) => (
                <button
                  key={zone}
                  type="button"
                  className="chip"
                  // Before the input's blur: picking a zone is not leaving the field with a wrong one.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => (onChange(zone), setLeft(false))}
                >
                  {zone}
                </button>
              ))}
            </div>
          )}
        </>
      )}
    </Field>
  );
}
