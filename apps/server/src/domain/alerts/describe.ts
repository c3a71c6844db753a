import type { Kdb } from '../../db/database.js';
import type { StateChangesTable } from '../../db/schema.js';

/** What an alert about a state change is called, and where it is. */
export interface AlertSubject {
  kind: 'check' | 'site' | 'heartbeat' | 'power';
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
  // One alert per site's power: on battery, then battery low, then back.
  if (change.subject_type === 'power') return `power:${change.site_id}`;
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
  const criticality = await siteCriticality(db, change.site_id);
  if (change.subject_type === 'power')
    return { ...base, criticality, kind: 'power', title: await powerTitle(db, change, site?.site ?? 'the site') };
  return { ...base, criticality, kind: 'site', title: `${site?.site ?? 'Site'} ${state}` };
}

/** "UPS on battery at Office — 23 min runtime left", "UPS battery low at Office — 4 min runtime left". */
async function powerTitle(db: Kdb, change: StateChangesTable, siteName: string): Promise<string> {
  const power = await db
    .selectFrom('power_state')
    .select('runtime_seconds')
    .where('site_id', '=', change.site_id)
    .executeTakeFirst();
  const runtime = power?.runtime_seconds;
  const left = runtime == null ? '' : ` — ${Math.floor(runtime / 60)} min runtime left`;
  if (change.to_state === 'low-battery') return `UPS battery low at ${siteName}${left}`;
  if (change.to_state === 'on-battery') return `UPS on battery at ${siteName}${left}`;
  return `Power at ${siteName}: ${change.to_state}`;
}

/** A whole site dark (or on battery) is as serious as its most critical system. */
async function siteCriticality(db: Kdb, siteId: string): Promise<AlertSubject['criticality']> {
  const worst = await db
    .selectFrom('systems')
    .select('criticality')
    .where('site_id', '=', siteId)
    .where('archived_at', 'is', null)
    .execute();
  const order = ['low', 'normal', 'high', 'critical'];
  return worst.reduce<string>(
    (acc, s) => (order.indexOf(s.criticality) > order.indexOf(acc) ? s.criticality : acc),
    'normal',
  ) as AlertSubject['criticality'];
}
