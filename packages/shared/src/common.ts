import { z } from 'zod';

export const Id = z.uuid({ error: 'must be an id (UUID)' });
export const Timestamp = z.string().describe('UTC timestamp, ISO 8601');

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/London' });

/** PostgreSQL cannot store a NUL character in text; refuse it at the door rather than fail later. */
const NO_NUL = /^[^\u0000]*$/;
const noNul = { error: 'may not contain a NUL character' };
/** A string of any text a database can hold. */
export const PlainText = () => z.string().regex(NO_NUL, noNul);

export const Name = PlainText().trim().min(1, { error: 'is required' }).max(200);
export const Notes = PlainText().max(5000);

/** Query-string filter for archived rows: hidden by default. */
export const ArchivedFilter = z.enum(['false', 'true', 'all']).default('false');

export const ListQuery = z.object({
  q: PlainText().max(200).optional(),
  archived: ArchivedFilter,
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() });
}

export const IdParams = z.object({ id: Id });

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Ok = z.object({ ok: z.literal(true) });
