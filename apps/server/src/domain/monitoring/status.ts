import type { SiteStatus, StatusCheck } from '@afterhours/shared';
import type { z } from 'zod';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { causeNames, presentCause } from './cause-names.js';
import { lastResultOf } from './check-presenter.js';
import { parseSparkline } from './sparkline.js';
import { addCounts, assemble, byProblems, emptyCounts, loadFrame, type StatusOptions } from './status-frame.js';

type Check = z.infer<typeof StatusCheck>;
type System = SiteStatus['clients'][number]['sites'][number]['systems'][number];

/**
 * Every client and site with counts of checks by state, problems first; each site's systems with
 * their checks, last result and recent latencies (the site screen asks for one site by `siteId`;
 * Now uses the compact summary). A handful of plain queries, grouped in memory.
 */
export async function siteStatus(db: Kdb, actor: Actor, now: string, options: StatusOptions = {}): Promise<SiteStatus> {
  const frame = await loadFrame(db, actor, options);
  const { clientId, siteId } = frame.filter;
  let systemsQ = db.selectFrom('systems').select(['id', 'site_id', 'name', 'kind']).where('archived_at', 'is', null);
  let checksQ = db
    .selectFrom('checks')
    .select([
      'id',
      'system_id',
      'name',
      'kind',
      'probe',
      'state',
      'state_since',
      'state_reason',
      'cause_type',
      'cause_id',
      'last_run_at',
      'last_status',
      'last_latency_ms',
      'last_message',
      'recent_latencies',
    ]);
  if (clientId) {
    systemsQ = systemsQ.where('client_id', '=', clientId);
    checksQ = checksQ.where('client_id', '=', clientId);
  }
  if (siteId) {
    systemsQ = systemsQ.where('site_id', '=', siteId);
    checksQ = checksQ.where('site_id', '=', siteId);
  }
  const [systems, checks] = await Promise.all([systemsQ.execute(), checksQ.orderBy('name').execute()]);
  const names = await causeNames(db, checks);

  const checksBySystem = new Map<string, Check[]>();
  for (const c of checks) {
    const list = checksBySystem.get(c.system_id) ?? [];
    list.push({
      id: c.id,
      name: c.name,
      kind: c.kind as Check['kind'],
      probe: c.probe as Check['probe'],
      state: c.state as Check['state'],
      stateSince: c.state_since,
      stateReason: c.state_reason,
      cause: presentCause(c, names),
      lastResult: lastResultOf(c),
      latencies: parseSparkline(c.recent_latencies),
    });
    checksBySystem.set(c.system_id, list);
  }
  const systemsBySite = new Map<string, System[]>();
  for (const s of systems) {
    const list = checksBySystem.get(s.id) ?? [];
    const counts = emptyCounts();
    for (const c of list) counts[c.state]++;
    const bySite = systemsBySite.get(s.site_id) ?? [];
    bySite.push({ id: s.id, name: s.name, kind: s.kind, counts, checks: list });
    systemsBySite.set(s.site_id, bySite);
  }
  return assemble(
    frame,
    (head) => {
      const systemList = (systemsBySite.get(head.id) ?? []).sort(byProblems);
      const counts = emptyCounts();
      for (const s of systemList) addCounts(counts, s.counts);
      return { ...head, counts, systems: systemList };
    },
    now,
    options.problemsOnly,
  );
}
