import { z } from 'zod';

/**
 * A host name or an IP address (IPv6 without brackets, such as ::1 or fe80::1%eth0). Never starts with
 * "-" so it cannot become an option of a command.
 */
export const Host = z
  .string()
  .trim()
  .min(1, { error: 'is required: a host name or IP address' })
  .max(253, { error: 'is too long for a host name' })
  .regex(/^[A-Za-z0-9_:][A-Za-z0-9_.:%-]*$/, {
    error:
      'must be a host name or an IP address, such as mail.example.com, 192.0.2.10 or 2001:db8::10 (without brackets)',
  });

export const Port = z
  .number({ error: 'must be a port number' })
  .int({ error: 'must be a whole port number' })
  .min(1, { error: 'must be between 1 and 65535' })
  .max(65535, { error: 'must be between 1 and 65535' });

export const WarnDays = z
  .number({ error: 'must be a number of days' })
  .int({ error: 'must be a whole number of days' })
  .min(0, { error: 'must be 0 or more days' })
  .max(365, { error: 'must be at most 365 days' });

/**
 * Status codes as people write them: "200-299", "200-299,401,403".
 * Used for HTTP status codes and SIP response codes.
 */
export const StatusCodes = z
  .string()
  .trim()
  .regex(/^\d{3}(-\d{3})?(\s*,\s*\d{3}(-\d{3})?)*$/, {
    error: 'must be codes or ranges such as "200-299" or "200-299,401,403"',
  });

/** Matchers by spec: the http check asks for one on every run, and a firm uses a handful of specs. */
const matchers = new Map<string, (code: number) => boolean>();

export function statusCodeMatcher(spec: string): (code: number) => boolean {
  let matcher = matchers.get(spec);
  if (!matcher) {
    if (matchers.size >= 1000) matchers.clear();
    matcher = compileStatusCodes(spec);
    matchers.set(spec, matcher);
  }
  return matcher;
}

function compileStatusCodes(spec: string): (code: number) => boolean {
  const ranges = spec.split(',').map((part) => {
    const [from, to] = part.trim().split('-').map(Number) as [number, number | undefined];
    return [from, to ?? from] as const;
  });
  return (code) => ranges.some(([from, to]) => code >= from && code <= to);
}

/** How a mail client secures its connection: none, STARTTLS after connecting, or TLS from the first byte. */
export const MailSecurity = z.enum(['plain', 'starttls', 'tls'], { error: 'must be plain, starttls or tls' });

const NoLineBreaks = /^[^\r\n]*$/;
export const Username = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(256)
  .regex(NoLineBreaks, { error: 'must not contain line breaks' });
export const Password = z.string().max(1024).regex(NoLineBreaks, { error: 'must not contain line breaks' });

/** Username and password go together. */
export function bothOrNeither(
  value: { username?: string | undefined; password?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if ((value.username === undefined) !== (value.password === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [value.username === undefined ? 'username' : 'password'],
      message: 'is required when the other of username and password is given',
    });
  }
}
