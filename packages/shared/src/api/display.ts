import { z } from 'zod';

/** Whether Intl knows this BCP 47 tag well enough to format dates in it. */
function isLocale(value: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([value]).length > 0;
  } catch {
    return false;
  }
}

export const Locale = z
  .string()
  .min(2)
  .max(35)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { error: 'must be a language tag such as en-GB' })
  .refine(isLocale, { error: 'must be a language tag such as en-GB' });
export const Clock = z.enum(['24h', '12h'], { error: 'must be 24h or 12h' });
export type Clock = z.infer<typeof Clock>;

/** How dates and times are shown; null: the browser's own habit. */
export const DisplaySettings = z.object({
  locale: Locale.nullable().describe('Language tag for dates and numbers, e.g. en-GB; null: the browser’s'),
  clock: Clock.nullable().describe('24-hour or 12-hour clock; null: the locale’s habit'),
});
export type DisplaySettings = z.infer<typeof DisplaySettings>;

export const UpdateDisplaySettingsRequest = z.strictObject({
  locale: Locale.nullable().optional(),
  clock: Clock.nullable().optional(),
});
