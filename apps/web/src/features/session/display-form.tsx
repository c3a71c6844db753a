import { useState } from 'react';
import type { Clock, DisplaySettings } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { SelectField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import {
  dateFormat,
  deviceDisplayPreferences,
  displayPreferences,
  knownLocale,
  setDisplayPreferences,
} from '../../lib/date-format';

/** Locales a firm is likely to want, by name; the browser's own and the current one are added. */
const LOCALES = [
  'en-GB',
  'en-IE',
  'en-US',
  'en-CA',
  'en-AU',
  'en-NZ',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr-FR',
  'fr-BE',
  'nl-NL',
  'nl-BE',
  'es-ES',
  'it-IT',
  'pt-PT',
  'sv-SE',
  'da-DK',
  'nb-NO',
  'fi-FI',
  'pl-PL',
];
const SAMPLE = new Date(Date.UTC(2026, 11, 4, 21, 4));

/** "Fri 4 Dec, 21:04" in that locale and clock: what a choice looks like. */
function sample(locale: string | undefined, clock: Clock | undefined): string {
  const saved = displayPreferences();
  setDisplayPreferences({ locale, clock });
  try {
    return dateFormat({
      timeZone: 'UTC',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(SAMPLE);
  } finally {
    setDisplayPreferences(saved);
  }
}

function localeName(tag: string): string {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * Locale and clock, for the firm (settings) or for oneself (profile; `inherit` names what "the firm's"
 * is, and an empty choice keeps it). Shows an example of each choice, so nobody has to know what en-IE means.
 */
export function DisplayForm({
  value,
  inherit,
  save,
  onSaved,
  readOnly = false,
}: {
  value: DisplaySettings;
  inherit?: DisplaySettings;
  save: (next: DisplaySettings) => Promise<unknown>;
  onSaved: () => void;
  readOnly?: boolean;
}) {
  const [locale, setLocale] = useState(value.locale ?? '');
  const [clock, setClock] = useState<Clock | ''>(value.clock ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, fields, submit } = useSubmit(
    () => save({ locale: locale || null, clock: clock || null }),
    () => {
      setSaved(true);
      onSaved();
    },
  );
  const browser = deviceDisplayPreferences().locale;
  const tags = [...new Set([...LOCALES, browser, ...(value.locale ? [value.locale] : [])])].filter(knownLocale);
  const fallbackLocale = inherit ? (inherit.locale ?? undefined) : undefined;
  const fallbackClock = inherit ? (inherit.clock ?? undefined) : undefined;
  const shownLocale = locale || fallbackLocale;
  const options = [
    {
      value: '',
      label: inherit
        ? `The firm’s (${inherit.locale ? localeName(inherit.locale) : 'this browser’s'})`
        : `This browser’s (${localeName(browser)})`,
    },
    ...tags.map((tag) => ({ value: tag, label: `${localeName(tag)} — ${sample(tag, clock || fallbackClock)}` })),
  ];
  // Short labels: three side by side on a phone. The example below shows what each means.
  const clocks: [Clock | '', string][] = [
    ['', inherit ? 'Firm’s' : 'Automatic'],
    ['24h', '24-hour'],
    ['12h', '12-hour'],
  ];
  return (
    <form className="card form-card" onSubmit={submit} noValidate aria-label="Dates and times">
      <ErrorNotice error={error} />
      {saved && !error && (
        <Notice tone="ok">Saved. Times now show as {sample(locale || fallbackLocale, clock || fallbackClock)}.</Notice>
      )}
      <SelectField
        label="Language for dates"
        value={locale}
        options={options}
        disabled={readOnly}
        onChange={(e) => (setLocale(e.target.value), setSaved(false))}
        error={fields['locale'] ?? fields['display.locale']}
      />
      <fieldset className="fieldset">
        <legend>Clock</legend>
        <Segmented
          label="Clock"
          name="clock"
          value={clock}
          choices={clocks}
          onChange={(c) => (setClock(c), setSaved(false))}
          disabled={() => readOnly}
        />
      </fieldset>
      <p className="muted small">Example: {sample(shownLocale, clock || fallbackClock)}</p>
      {!readOnly && (
        <Button type="submit" variant="primary" busy={busy}>
          Save dates and times
        </Button>
      )}
    </form>
  );
}
