import type { Kdb } from '../../db/database.js';
import type { StateChangesTable } from '../../db/schema.js';

/** What an alert about a state change is called, and where it is. */
export interface AlertSubject {
  kind: 'check' | 'site' | 'heartbeat';
  key: string;
  title: string;
  criticality: 'low' | 'normal' | 'high' | 'critical';
  clientName: string | null;
  siteName: string | null;
  timeZone: string;
}

const VERB: Record<string, string> = { down: 'down', late: 'late', unreachable: 'unreachable' };

export function alertKey(
  change: Pick<StateChangesTable, 'subject_type' | 'check_id' | 'system_id' | 'site_id' | 'agent_id'> & {
    heartbeat_id?: string | null;
  },
): string {
  // One alert per server: all its checks share it.
  if (change.subject_type === 'check')
    return change.system_id ? `server:${change.system_id}` : `check:${change.check_id}`;
  if (change.subject_type === 'heartbeat') return `heartbeat:${change.heartbeat_id}`;
  return `site:${change.site_id}:${change.agent_id ?? ''}`;
}

export async function describeChange(db: Kdb, change: StateChangesTable): Promise<AlertSubject> {
  const site = await db
    .selectFrom('sites')
    .innerJoin('clients', 'clients.id', 'sites.client_id')
    .select(['sites.name as site', 'sites.time_zone', 'clients.name as client'])
    .where('sites.id', '=', change.site_id)
    .executeTakeFirst();
  const system = change.system_id
    ? await db
        .selectFrom('systems')
        .select(['name', 'criticality'])
        .where('id', '=', change.system_id)
        .executeTakeFirst()
    : undefined;
  const base = {
    key: alertKey(change),
    clientName: site?.client ?? null,
    siteName: site?.site ?? null,
    timeZone: site?.time_zone ?? 'UTC',
    criticality: (system?.criticality ?? 'high') as AlertSubject['criticality'],
  };
  const state = VERB[change.to_state] ?? change.to_state;
  if (change.subject_type === 'check') {
    const check = await db.selectFrom('checks').select('name').where('id', '=', change.check_id!).executeTakeFirst();
    return { ...base, kind: 'check', title: `${system?.name ?? 'System'}: ${check?.name ?? 'check'} ${state}` };
  }
  if (change.subject_type === 'heartbeat') {
    const hb = await db
      .selectFrom('heartbeats')
      .select('name')
      .where('id', '=', change.heartbeat_id!)
      .executeTakeFirst();
    return { ...base, kind: 'heartbeat', title: `${hb?.name ?? 'Heartbeat'} ${state}` };
  }
  // A whole site dark is as serious as its most critical system.
  const worst = await db
    .selectFrom('systems')
    .select('criticality')
    .where('site_id', '=', change.site_id)
    .where('archived_at', 'is', null)
    .execute();
  const order = ['low', 'normal', 'high', 'critical'];
  const criticality = worst.reduce<string>(
    (acc, s) => (order.indexOf(s.criticality) > order.indexOf(acc) ? s.criticality : acc),
    'normal',
  ) as AlertSubject['criticality'];
  return { ...base, criticality, kind: 'site', title: `${site?.site ?? 'Site'} ${state}` };
}
