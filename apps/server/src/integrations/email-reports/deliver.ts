import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { emailSettingsOf } from '../../domain/heartbeats/presenter.js';
import type { RateLimiter } from '../../domain/heartbeats/rate-limit.js';
import { recordPings } from '../../domain/heartbeats/record-pings.js';
import { classifyReport, type ReportMessage } from './rules.js';

/** The heartbeat an address belongs to: <local part>@<one of the domains>, with e-mail reports on. */
export async function findRecipient(
  db: Kdb,
  address: string,
  domains: string[],
): Promise<{ id: string; email_json: string } | null> {
  const at = address.lastIndexOf('@');
  if (at < 1) return null;
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  if (!domains.includes(domain)) return null;
  const row = await db
    .selectFrom('heartbeats')
    .select(['id', 'email_json'])
    .where('email_local', '=', local)
    .executeTakeFirst();
  return row ?? null;
}

/** Records one report for one recipient as a ping of its heartbeat (source "email"), as the rules read it. */
export async function deliverReport(
  ctx: AppContext,
  limiter: RateLimiter,
  input: { to: string; domains: string[]; message: ReportMessage; remoteAddr: string; helo: string; size: number },
): Promise<'stored' | 'unknown' | 'rate limited'> {
  const heartbeat = await findRecipient(ctx.db.kysely, input.to, input.domains);
  if (!heartbeat) return 'unknown';
  const { action, rule } = classifyReport(input.message, emailSettingsOf(heartbeat.email_json));
  const [outcome] = await recordPings(
    ctx,
    [
      {
        target: { kind: 'email', id: heartbeat.id },
        action,
        exitStatus: null,
        rid: null,
        at: ctx.clock.now().toISOString(),
        source: 'email',
        method: 'SMTP',
        remoteAddr: input.remoteAddr,
        userAgent: input.helo ? `EHLO ${input.helo}` : '',
        body: Buffer.from(input.message.text, 'utf8'),
        bodySize: input.size,
        email: { from: input.message.from, subject: input.message.subject },
        detail: `${input.message.subject || '(no subject)'} (${rule})`.slice(0, 300),
      },
    ],
    limiter,
  );
  return outcome?.status === 429 ? 'rate limited' : 'stored';
}
