import type { PowerLogEntry } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { addTimeline } from '../alerts/timeline.js';
import { openIncidentOfSite } from '../incidents/membership.js';
import { addTimelineEntry } from '../incidents/timeline.js';

/**
 * Power work on the record where people follow the site: a line (kind "power") on the site's open
 * incident, and plan steps also on its open power alert ("Shutdown started", "ERP server: … sent").
 */
export async function writePowerLine(
  trx: Kdb,
  line: { siteId: string; at: string; text: string; onAlert: boolean; data?: unknown },
): Promise<void> {
  if (line.onAlert) {
    const alert = await trx
      .selectFrom('alerts')
      .select('id')
      .where('open_key', '=', `power:${line.siteId}`)
      .executeTakeFirst();
    if (alert) await addTimeline(trx, { type: 'alert', id: alert.id }, line.at, { kind: 'power', summary: line.text });
  }
  const incidentId = await openIncidentOfSite(trx, line.siteId);
  if (incidentId)
    await addTimelineEntry(trx, {
      incidentId,
      kind: 'power',
      at: line.at,
      actorUserId: null,
      text: line.text,
      refType: 'site',
      refId: line.siteId,
      ...(line.data === undefined ? {} : { data: line.data }),
    });
}

const PHASES: Record<string, string> = {
  'waiting-for-power': 'Shutdown done: waiting for power to be back and stable',
  down: 'Shutdown done: the systems stay off until someone starts them',
  finished: 'Startup done: every system the plan shut down is up again',
  stopped: 'The plan stopped (a system was not down in time and its stage says stop)',
};

/** The plan's log lines worth a person's reading on a timeline; the rest stay in the site's power log. */
export function planLine(entry: PowerLogEntry, systemName: string | null): string | null {
  const who = systemName ? `${systemName}: ` : '';
  switch (entry.kind) {
    case 'started':
      return `${entry.message[0]?.toUpperCase()}${entry.message.slice(1)}${entry.trigger ? ` (${entry.trigger})` : ''}`;
    case 'command':
      return `${who}${entry.message}`;
    case 'phase':
      return entry.phase ? (PHASES[entry.phase] ?? null) : null;
    case 'log':
      return entry.level === 'warning' || entry.hostKey ? `${who}${entry.message}` : null;
    default:
      return null;
  }
}
