import type { Kdb } from '../../db/database.js';
import type { AlertsTable } from '../../db/schema.js';
import { openAlert, resolveAlert } from './lifecycle.js';

export interface SystemAlert {
  /** What raised it: oncall-gap, escalation-engine, power… */
  kind: string;
  title: string;
  reason?: string;
  clientId?: string | null;
  siteId?: string | null;
  systemId?: string | null;
  /** One unresolved alert per kind and key: raising it again while it is open changes nothing. */
  dedupeKey: string;
  criticality?: 'low' | 'normal' | 'high' | 'critical';
  now: string;
}

const keyOf = (kind: string, dedupeKey: string) => `system:${kind}:${dedupeKey}`;

/**
 * An alert the hub raises about itself or its own work (an on-call gap a day ahead, a stuck engine), in the
 * caller's transaction. It pages like any other (paging rules of its client, if it has one). Answers the
 * alert, and whether it was new.
 */
export async function raiseSystemAlert(
  trx: Kdb,
  input: SystemAlert,
): Promise<{ alert: AlertsTable; created: boolean }> {
  const key = keyOf(input.kind, input.dedupeKey);
  const open = await trx.selectFrom('alerts').selectAll().where('open_key', '=', key).executeTakeFirst();
  if (open) return { alert: open, created: false };
  const alert = await openAlert(
    trx,
    {
      kind: 'system',
      key,
      title: input.title,
      reason: input.reason ?? input.title,
      criticality: input.criticality ?? 'high',
      clientId: input.clientId ?? null,
      siteId: input.siteId ?? null,
      systemId: input.systemId ?? null,
      subjectState: 'problem',
      at: input.now,
    },
    input.now,
  );
  return { alert, created: true };
}

/** The condition behind a system alert is over (the gap is filled): resolves it as recovered. */
export async function clearSystemAlert(
  trx: Kdb,
  input: { kind: string; dedupeKey: string; reason: string; now: string },
): Promise<boolean> {
  const open = await trx
    .selectFrom('alerts')
    .selectAll()
    .where('open_key', '=', keyOf(input.kind, input.dedupeKey))
    .executeTakeFirst();
  if (!open) return false;
  await resolveAlert(trx, open, { userId: null, reason: input.reason }, input.now);
  return true;
}
