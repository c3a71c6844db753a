import type { StatusSummary } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { causeNames, presentCause } from './cause-names.js';
import { lastResultOf } from './check-presenter.js';
import { assemble, emptyCounts, loadFrame, type StatusOptions } from './status-frame.js';

type SummarySite = StatusSummary['clients'][number]['sites'][number];
type SummaryCheck = SummarySite['problems'][number];
type SummaryGroup = SummarySite['groups'][number];
type State = SummaryCheck['state'];

const PROBLEM_STATES = ['down', 'degraded', 'unknown'] as const;
const RANK: Record<State, number> = { down: 0, degraded: 1, unknown: 2, up: 3, paused: 4 };

/**
 * The Now screen, compact: every client and site with counts by state, and only the checks that are
 * down, degraded or unknown (with their reason and cause), no sparklines; checks unknown for the same
 * reason at a site (a dozen "because File server is down") are one line with a count and a few names,
 * which is what Now paints. Clients, sites, agents, one grouped count, the problem checks, and the
 * names of their causes.
 */
export async function statusSummary(
  db: Kdb,
  actor: Actor,
  now: string,
  options: StatusOptions = {},
): Promise<StatusSummary> {
  const frame = await loadFrame(db, actor, options);
  const { clientId, siteId } = frame.filter;
  let countsQ = db
    .selectFrom('checks')
    .innerJoin('systems', 'systems.id', 'checks.system_id')
    .select(['checks.site_id', 'checks.state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('systems.archived_at', 'is', null);
  let problemsQ = db
    .selectFrom('checks')
    .innerJoin('systems', 'systems.id', 'checks.system_id')
    .select([
      'checks.id',
      'checks.site_id',
      'checks.system_id',
      'systems.name as system_name',
      'checks.name',
      'checks.kind',
      'checks.probe',
      'checks.state',
      'checks.state_since',
      'checks.state_reason',
      'checks.cause_type',
      'checks.cause_id',
      'checks.last_run_at',
      'checks.last_status',
      'checks.last_latency_ms',
      'checks.last_message',
    ])
    .where('systems.archived_at', 'is', null)
    .where('checks.state', 'in', PROBLEM_STATES);
  if (clientId) {
    countsQ = countsQ.where('checks.client_id', '=', clientId);
    problemsQ = problemsQ.where('checks.client_id', '=', clientId);
  }
  if (siteId) {
    countsQ = countsQ.where('checks.site_id', '=', siteId);
    problemsQ = problemsQ.where('checks.site_id', '=', siteId);
  }
  const [counted, problems] = await Promise.all([
    countsQ.groupBy(['checks.site_id', 'checks.state']).execute(),
    problemsQ.execute(),
  ]);
  const names = await causeNames(db, problems);

  const countsBySite = new Map<string, ReturnType<typeof emptyCounts>>();
  for (const row of counted) {
    const counts = countsBySite.get(row.site_id) ?? emptyCounts();
    if (row.state in counts) counts[row.state as State] += Number(row.n);
    countsBySite.set(row.site_id, counts);
  }
  const problemsBySite = new Map<string, SummaryCheck[]>();
  for (const c of problems) {
    const list = problemsBySite.get(c.site_id) ?? [];
    list.push({
      id: c.id,
      systemId: c.system_id,
      systemName: c.system_name,
      name: c.name,
      kind: c.kind as SummaryCheck['kind'],
      probe: c.probe as SummaryCheck['probe'],
      state: c.state as State,
      stateSince: c.state_since,
      stateReason: c.state_reason,
      cause: presentCause(c, names),
      lastResult: lastResultOf(c),
    });
    problemsBySite.set(c.site_id, list);
  }
  return assemble(
    frame,
    (head) => ({
      ...head,
      counts: countsBySite.get(head.id) ?? emptyCounts(),
      ...lines(problemsBySite.get(head.id) ?? []),
    }),
    now,
    options.problemsOnly,
  );
}

const GROUP_NAMES = 4;
const worstFirst = (a: SummaryCheck, b: SummaryCheck) =>
  RANK[a.state] - RANK[b.state] || a.systemName.localeCompare(b.systemName) || a.name.localeCompare(b.name);

/** A site's problem lines: checks on their own, and unknown checks sharing a reason and probe as groups. */
function lines(checks: SummaryCheck[]): Pick<SummarySite, 'problems' | 'groups'> {
  checks.sort(worstFirst);
  const shared = new Map<string, SummaryCheck[]>();
  for (const c of checks) {
    if (c.state !== 'unknown') continue;
    const key = `${c.probe}\n${c.stateReason}`;
    const list = shared.get(key);
    if (list) list.push(c);
    else shared.set(key, [c]);
  }
  const groups: SummaryGroup[] = [];
  const grouped = new Set<SummaryCheck>();
  for (const list of shared.values()) {
    if (list.length < 2) continue;
    for (const c of list) grouped.add(c);
    const first = list[0]!;
    groups.push({
      reason: first.stateReason,
      probe: first.probe,
      cause: first.cause,
      count: list.length,
      since: list.map((c) => c.stateSince).sort()[0]!,
      names: list.slice(0, GROUP_NAMES).map((c) => `${c.systemName} ${c.name}`),
    });
  }
  groups.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return { problems: checks.filter((c) => !grouped.has(c)), groups };
}
