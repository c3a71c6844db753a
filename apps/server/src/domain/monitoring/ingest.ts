import { nextState, suppress, type ChangeEvent, type ObservedStatus, type Suppression } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { DialectSupport } from '../../db/dialects/types.js';
import { isoNow } from '../../lib/clock.js';
import { keyable } from '../../db/dialects/result-key.js';
import type { ResultStore } from '../../db/dialects/result-store.js';
import {
  changedOnScreen,
  checkWrites,
  pushLatency,
  recordTransition,
  toWorking,
  type CheckStateRow,
  type StateChangeDraft,
  type WorkingCheck,
} from './check-state-store.js';
import { DependencyContext, systemNames } from './dependency-context.js';
import { rollUpLateResults } from './late-results.js';
import { bucketsOf } from './rollups.js';

export type ResultSource = { type: 'hub' } | { type: 'agent'; agentId: string };

export interface IncomingResult {
  checkId: string;
  /** When the check ran (UTC ISO); replayed results keep their original time. */
  at: string;
  status: ObservedStatus;
  latencyMs: number | null;
  message: string;
}

export interface IngestOutcome {
  /** Results stored now. */
  stored: number;
  /** Results already stored before (same check and time): a resent batch. */
  duplicates: number;
  /** Results for checks that do not exist, are not this source's, or have no valid time. */
  ignored: number;
  stateChanges: number;
  events: ChangeEvent[];
}

export function sourceLabel(source: ResultSource): string {
  return source.type === 'hub' ? 'hub' : `agent:${source.agentId}`;
}

/**
 * Stores check results and applies them: raw rows (a result already stored is skipped), the roll-ups of
 * hours the history job has already written (late results; it writes the others once they are over), and
 * the state machine in the order the results happened, with a state_changes row for every change at the
 * result's own time, dependency suppression included. One transaction: its own,
 * or `options.db` (the agent link stores a batch and its sequence number together). Change events
 * are published once committed: here, or by the caller (from `outcome.events`) when it passed its own
 * transaction, since only it knows when that commits.
 */
export async function ingestResults(
  ctx: AppContext,
  source: ResultSource,
  results: IncomingResult[],
  options: { db?: Kdb } = {},
): Promise<IngestOutcome> {
  const now = isoNow(ctx.clock);
  const rawDays = ctx.settings.monitoring.resultRetentionDays;
  const work = (db: Kdb) => applyResults(db, source, results, { now, rawDays }, ctx.db.dialect);
  const counted = (outcome: IngestOutcome) => {
    ctx.metrics?.resultsStored(source.type === 'hub' ? 'probe' : 'agent', outcome.stored);
    return outcome;
  };
  // In a caller's transaction the results count once applied: one that then rolls back over-counts.
  if (options.db) return counted(await work(options.db));
  const outcome = counted(await ctx.db.kysely.transaction().execute(work));
  for (const event of outcome.events) ctx.bus.publish(event);
  return outcome;
}

/**
 * The longest latency a result keeps (2^31 − 1 µs, about 36 minutes: what PostgreSQL's integer column holds); a
 * longer one from a confused agent is no latency at all, and is stored as none rather than failing its batch.
 */
export const MAX_LATENCY_MS = 2_147_483;

function normalise(results: IncomingResult[]): IncomingResult[] {
  const seen = new Set<string>();
  const out: IncomingResult[] = [];
  for (const r of results) {
    const time = Date.parse(r.at);
    // A time a result key cannot hold (before 2020 or after 2089) counts as no valid time.
    if (!keyable(time) || !['up', 'degraded', 'down'].includes(r.status)) continue;
    const at = new Date(time).toISOString();
    const key = `${r.checkId}|${at}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const latencyMs =
      typeof r.latencyMs === 'number' &&
      Number.isFinite(r.latencyMs) &&
      r.latencyMs >= 0 &&
      r.latencyMs <= MAX_LATENCY_MS
        ? r.latencyMs
        : null;
    out.push({ checkId: r.checkId, at, status: r.status, latencyMs, message: String(r.message ?? '').slice(0, 1000) });
  }
  return out;
}

/** An agent may only report the checks assigned to it; the hub reports any. */
function accepts(source: ResultSource, row: CheckStateRow): boolean {
  return source.type === 'hub' || (row.probe === 'agent' && row.agent_id === source.agentId);
}

/**
 * Lets due timers run between the statements of a batch. better-sqlite3 answers synchronously, so without
 * this a whole batch (hundreds of ms on a busy machine) is one turn of the event loop and every check due
 * meanwhile starts late; the transaction keeps the one connection, so nothing else writes in between.
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

async function applyResults(
  db: Kdb,
  source: ResultSource,
  raw: IncomingResult[],
  { now, rawDays }: { now: string; rawDays: number },
  dialect: DialectSupport,
): Promise<IngestOutcome> {
  const store = dialect.resultStore(db);
  const label = sourceLabel(source);
  const valid = normalise(raw);
  if (valid.length === 0) return { stored: 0, duplicates: 0, ignored: raw.length, stateChanges: 0, events: [] };

  const working = new Map<string, WorkingCheck>();
  // Each check's latest result time as ISO text, converted once per check rather than twice per result.
  const latest = new Map<string, string | null>();
  for (const row of await store.loadChecks(
    'id',
    valid.map((r) => r.checkId),
  )) {
    if (!accepts(source, row)) continue;
    working.set(row.id, toWorking(row));
    latest.set(row.id, row.last_run_at === null ? null : new Date(row.last_run_at).toISOString());
  }
  const mine = valid.filter((r) => working.has(r.checkId));
  await breathe();
  const rows = mine.map((r) => {
    const last = latest.get(r.checkId)!;
    return {
      check_id: r.checkId,
      at: r.at,
      status: r.status,
      latency_ms: r.latencyMs,
      message: r.message,
      source: label,
      late: last !== null && r.at <= last,
    };
  });
  const inserted = new Set(await store.insertResults(rows));
  const stored = mine.filter((_, i) => inserted.has(rows[i]!));
  await breathe();
  await rollUpLateResults(db, store, bucketsOf(stored), { now, rawDays });
  await breathe();

  // Only results newer than the check's latest drive its state; an older one arriving late is history only.
  const fresh = stored
    .filter((r) => {
      const last = latest.get(r.checkId)!;
      return last === null || r.at > last;
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.checkId < b.checkId ? -1 : 1));

  const drafts: StateChangeDraft[] = [];
  if (fresh.length) {
    const checks = [...working.values()];
    const deps = await DependencyContext.load(
      db,
      checks.map((c) => c.row.client_id),
    );
    const applier = new Applier(db, store, deps, working, drafts, now, label);
    for (const result of fresh) await applier.apply(result);
  }

  await store.insertStateChanges(drafts);
  await breathe();
  await store.saveChecks(checkWrites(working.values(), now));
  const events: ChangeEvent[] = [...working.values()]
    .filter(changedOnScreen)
    .map((c) => ({ entity: 'check', id: c.row.id, action: 'updated', clientId: c.row.client_id, at: now }));
  return {
    stored: stored.length,
    duplicates: mine.length - stored.length,
    ignored: raw.length - mine.length,
    stateChanges: drafts.length,
    events,
  };
}

/** Applies results one by one in time order, keeping the set of down systems current as it goes. */
class Applier {
  constructor(
    private readonly db: Kdb,
    private readonly store: ResultStore,
    private readonly deps: DependencyContext,
    private readonly working: Map<string, WorkingCheck>,
    private readonly drafts: StateChangeDraft[],
    private readonly now: string,
    private readonly label: string,
  ) {}

  async apply(result: IncomingResult): Promise<void> {
    const check = this.working.get(result.checkId)!;
    const suppression = this.deps.suppressionFor(check.row.system_id);
    const wasDown = check.machine.state === 'down';
    const policy = {
      failuresBeforeDown: check.row.failures_before_down,
      successesBeforeUp: check.row.successes_before_up,
      paused: check.row.paused === 1,
    };
    const step = nextState(check.machine, result, policy, result.at, suppression);
    check.machine = step.state;
    check.last = result;
    pushLatency(check, result.latencyMs, result.status === 'down');
    check.dirty = true;
    for (const t of step.transitions) this.drafts.push(recordTransition(check, t, this.now, this.label));
    if (!step.transitions.length && step.state.state === 'unknown')
      this.refreshCause(check, suppression, result.message);
    await this.afterChange(check, wasDown, result.at);
  }

  /** Still unknown: the cause may have changed (an agent back, another parent down). */
  private refreshCause(check: WorkingCheck, suppression: Suppression | null, message: string): void {
    const next = suppression ? { type: suppression.causeType, id: suppression.causeId } : null;
    if (next?.type === check.cause?.type && next?.id === check.cause?.id) return;
    check.cause = next;
    check.machine = { ...check.machine, reason: suppression?.reason ?? message };
  }

  private async afterChange(check: WorkingCheck, wasDown: boolean, at: string): Promise<void> {
    const isDown = check.machine.state === 'down';
    if (wasDown === isDown) return;
    if (!isDown) return this.deps.checkLeftDown(check.row.system_id, check.row.id);
    const name = (await systemNames(this.db, [check.row.system_id])).get(check.row.system_id) ?? 'a system';
    const suppression = this.deps.checkWentDown(check.row.system_id, name, check.row.id, check.stateChangeId!);
    if (suppression) await this.suppressDependents(check.row.system_id, suppression, at);
  }

  /** Everything that depends on a system that just went down becomes unknown, naming it as the root. */
  private async suppressDependents(systemId: string, suppression: Suppression, at: string): Promise<void> {
    const systems = this.deps.graph.descendants(systemId);
    if (!systems.length) return;
    for (const row of await this.store.loadChecks('system_id', systems)) {
      if (!this.working.has(row.id)) this.working.set(row.id, toWorking(row));
    }
    const affected = [...this.working.values()]
      .filter((c) => systems.includes(c.row.system_id))
      .sort((a, b) => (a.row.id < b.row.id ? -1 : 1));
    for (const check of affected) {
      const wasDown = check.machine.state === 'down';
      const step = suppress(check.machine, suppression, at);
      check.machine = step.state;
      for (const t of step.transitions) this.drafts.push(recordTransition(check, t, this.now, this.label));
      if (!step.transitions.length && check.machine.state === 'unknown' && !check.cause) {
        check.cause = { type: suppression.causeType, id: suppression.causeId };
        check.machine = { ...check.machine, reason: suppression.reason };
        check.dirty = true;
      }
      if (wasDown) this.deps.checkLeftDown(check.row.system_id, check.row.id);
    }
  }
}
