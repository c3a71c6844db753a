import { afterEach, beforeEach, expect, it } from 'vitest';
import { countRows, insertClientWithSystem, insertDependency, insertSystem } from '../../test/factories.js';
import { insertAgent, insertCheck } from '../../test/checks.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { checkResults } from './history-queries.js';
import { ingestResults, type IncomingResult, MAX_LATENCY_MS } from './ingest.js';
import { rollUpHours } from '../../worker/hourly-rollups.js';
import { rollUpMinutes } from '../../worker/minute-rollups.js';

const T = (minute: number, second = 0) => new Date(Date.UTC(2026, 10, 20, 17, minute, second)).toISOString();
const up = (checkId: string, at: string, latencyMs = 10): IncomingResult => ({
  checkId,
  at,
  status: 'up',
  latencyMs,
  message: 'ok',
});
const down = (checkId: string, at: string): IncomingResult => ({
  checkId,
  at,
  status: 'down',
  latencyMs: null,
  message: 'connection refused on 127.0.0.1:9',
});

forEachDatabase('ingest', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(async () => {
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;
  const changesOf = (checkId: string) =>
    db().selectFrom('state_changes').selectAll().where('check_id', '=', checkId).orderBy('at').execute();
  const checkRow = (id: string) => db().selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** The history job's roll-ups of the hours over at `at` (worker/retention.ts runs them hourly). */
  const closeHours = async (at: string) => {
    const options = { now: Date.parse(at), resultRetentionDays: 7 };
    await rollUpMinutes(db(), options);
    await rollUpHours(db(), options);
  };

  it('applies a batch in time order whatever order it arrives in, with state changes at the results’ times', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system, { failures_before_down: 2 });
    hub.clock.set(T(30));
    const outcome = await ingestResults(hub.ctx, { type: 'hub' }, [
      down(check.id, T(3)),
      up(check.id, T(1)),
      down(check.id, T(2)),
      up(check.id, T(4)),
    ]);
    expect(outcome).toMatchObject({ stored: 4, duplicates: 0, ignored: 0, stateChanges: 3 });
    const changes = await changesOf(check.id);
    expect(changes.map((c) => [c.from_state, c.to_state, c.at])).toEqual([
      ['unknown', 'up', T(1)],
      ['up', 'down', T(3)],
      ['down', 'up', T(4)],
    ]);
    expect(changes.every((c) => c.recorded_at === T(30) && c.source === 'hub' && c.root_cause_id === null)).toBe(true);
    expect(changes[1]!.reason).toContain('2 failures in a row');
    const row = await checkRow(check.id);
    expect(row).toMatchObject({
      state: 'up',
      computed_state: 'up',
      last_run_at: T(4),
      last_status: 'up',
      state_since: T(4),
      state_change_id: changes[2]!.id,
    });
  });

  it('stores a resent batch once and changes nothing the second time', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    const batch = [up(check.id, T(1)), down(check.id, T(2)), down(check.id, T(2))];
    expect(await ingestResults(hub.ctx, { type: 'hub' }, batch)).toMatchObject({ stored: 2, stateChanges: 2 });
    expect(await ingestResults(hub.ctx, { type: 'hub' }, batch)).toMatchObject({
      stored: 0,
      duplicates: 2,
      stateChanges: 0,
      events: [],
    });
    expect(await countRows(db(), 'check_results')).toBe(2);
    expect(await countRows(db(), 'state_changes')).toBe(2);
    await closeHours('2026-11-20T18:10:00.000Z');
    const rollup = await db().selectFrom('check_rollups').selectAll().executeTakeFirstOrThrow();
    expect(rollup).toMatchObject({ count: 2, failures: 1, latency_count: 1, latency_sum: 10 });
    // resent once more after its hour was written: still nothing added
    expect(await ingestResults(hub.ctx, { type: 'hub' }, batch)).toMatchObject({ stored: 0, duplicates: 2 });
    expect(await db().selectFrom('check_rollups').selectAll().execute()).toEqual([rollup]);
  });

  it('replays an agent’s buffered results with their original times, and ignores checks that are not its own', async () => {
    const { site, system } = await insertClientWithSystem(db());
    const agent = await insertAgent(db(), site);
    const other = await insertAgent(db(), site);
    const mine = await insertCheck(db(), system, { probe: 'agent', agent_id: agent.id });
    const theirs = await insertCheck(db(), system, { probe: 'agent', agent_id: other.id });
    const hubCheck = await insertCheck(db(), system);
    hub.clock.set('2026-11-21T09:00:00.000Z'); // the link was down overnight
    const outcome = await ingestResults(hub.ctx, { type: 'agent', agentId: agent.id }, [
      up(mine.id, T(1)),
      down(mine.id, T(2)),
      up(theirs.id, T(1)),
      up(hubCheck.id, T(1)),
      up('no-such-check', T(1)),
    ]);
    expect(outcome).toMatchObject({ stored: 2, ignored: 3, stateChanges: 2 });
    const changes = await changesOf(mine.id);
    expect(changes.map((c) => [c.to_state, c.at, c.source])).toEqual([
      ['up', T(1), `agent:${agent.id}`],
      ['down', T(2), `agent:${agent.id}`],
    ]);
    expect(changes[0]!.recorded_at).toBe('2026-11-21T09:00:00.000Z');
    expect(await countRows(db(), 'check_results')).toBe(2);
  });

  it('stores a result older than the latest as history without moving the state back', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await ingestResults(hub.ctx, { type: 'hub' }, [up(check.id, T(5))]);
    expect(await ingestResults(hub.ctx, { type: 'hub' }, [down(check.id, T(4))])).toMatchObject({
      stored: 1,
      stateChanges: 0,
    });
    expect(await checkRow(check.id)).toMatchObject({ state: 'up', last_run_at: T(5) });
  });

  it('stores a latency longer than the longest it keeps as none, instead of failing the batch', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    hub.clock.set(T(30));
    const outcome = await ingestResults(hub.ctx, { type: 'hub' }, [
      up(check.id, T(1), MAX_LATENCY_MS),
      up(check.id, T(2), MAX_LATENCY_MS + 0.001),
      up(check.id, T(3), 1e15),
    ]);
    expect(outcome).toMatchObject({ stored: 3, ignored: 0 });
    const results = await checkResults(db(), check.id, { limit: 10 });
    expect(results.map((r) => [r.at, r.status, r.latencyMs])).toEqual([
      [T(3), 'up', null],
      [T(2), 'up', null],
      [T(1), 'up', MAX_LATENCY_MS],
    ]);
  });

  it('rolls results up by hour with count, failures and latency min, mean and max', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await ingestResults(hub.ctx, { type: 'hub' }, [up(check.id, T(1), 30), up(check.id, T(2), 10)]);
    await ingestResults(hub.ctx, { type: 'hub' }, [
      down(check.id, T(3)),
      up(check.id, T(4), 50),
      up(check.id, '2026-11-20T18:00:00.000Z', 7),
    ]);
    // written by the history job once each hour is over, not by ingest
    expect(await countRows(db(), 'check_rollups')).toBe(0);
    await closeHours('2026-11-20T19:05:00.000Z');
    const rows = await db().selectFrom('check_rollups').selectAll().orderBy('hour').execute();
    expect(
      rows.map((r) => [r.hour, r.count, r.failures, r.latency_count, r.latency_sum, r.latency_min, r.latency_max]),
    ).toEqual([
      ['2026-11-20T17:00:00.000Z', 4, 1, 3, 90, 10, 50],
      ['2026-11-20T18:00:00.000Z', 1, 0, 1, 7, 7, 7],
    ]);
  });

  it('publishes a change event per check whose state changed', async () => {
    const { client, system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    const heard: unknown[] = [];
    hub.ctx.bus.subscribe((e) => heard.push(e));
    await ingestResults(hub.ctx, { type: 'hub' }, [up(check.id, T(1)), up(check.id, T(2))]);
    expect(heard).toEqual([
      expect.objectContaining({ entity: 'check', id: check.id, action: 'updated', clientId: client.id }),
    ]);
  });

  it('runs inside the caller’s transaction when given one', async () => {
    const { site, system } = await insertClientWithSystem(db());
    const agent = await insertAgent(db(), site);
    const check = await insertCheck(db(), system, { probe: 'agent', agent_id: agent.id });
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await ingestResults(hub.ctx, { type: 'agent', agentId: agent.id }, [up(check.id, T(1))], { db: trx });
          await trx.updateTable('agents').set({ last_acked_seq: 7 }).where('id', '=', agent.id).execute();
          throw new Error('the link dropped before the ack');
        }),
    ).rejects.toThrow('the link dropped');
    expect(await countRows(db(), 'check_results')).toBe(0);
    expect(await checkRow(check.id)).toMatchObject({ state: 'unknown' });
  });

  it('makes the checks of dependent systems unknown with one root cause when a system goes down', async () => {
    const { site, system: host } = await insertClientWithSystem(db());
    const vm = await insertSystem(db(), site, { name: 'VM' });
    const app = await insertSystem(db(), site, { name: 'App' });
    await insertDependency(db(), vm, host);
    await insertDependency(db(), app, vm);
    const hostCheck = await insertCheck(db(), host);
    const vmCheck = await insertCheck(db(), vm);
    const appCheck = await insertCheck(db(), app);
    await ingestResults(hub.ctx, { type: 'hub' }, [
      up(hostCheck.id, T(1)),
      up(vmCheck.id, T(1)),
      up(appCheck.id, T(1)),
    ]);

    await ingestResults(hub.ctx, { type: 'hub' }, [down(hostCheck.id, T(2))]);
    const hostDown = (await changesOf(hostCheck.id)).at(-1)!;
    expect(hostDown).toMatchObject({ to_state: 'down', root_cause_id: null });
    for (const c of [vmCheck, appCheck]) {
      const last = (await changesOf(c.id)).at(-1)!;
      expect(last).toMatchObject({
        from_state: 'up',
        to_state: 'unknown',
        at: T(2),
        cause_type: 'system',
        cause_id: host.id,
        root_cause_id: hostDown.id,
      });
      expect(last.reason).toBe(`because ${host.name} is down`);
    }
    // Their own failures while the host is down stay "unknown", with no new root.
    await ingestResults(hub.ctx, { type: 'hub' }, [down(vmCheck.id, T(3)), down(appCheck.id, T(3))]);
    expect(await checkRow(vmCheck.id)).toMatchObject({
      state: 'unknown',
      computed_state: 'down',
      cause_type: 'system',
      cause_id: host.id,
    });
    const roots = await db()
      .selectFrom('state_changes')
      .select('id')
      .where('root_cause_id', 'is', null)
      .where('to_state', 'in', ['down', 'unknown'])
      .execute();
    expect(roots.map((r) => r.id)).toEqual([hostDown.id]);

    // The host comes back; each dependent shows its own state on its next result.
    await ingestResults(hub.ctx, { type: 'hub' }, [
      up(hostCheck.id, T(4)),
      up(vmCheck.id, T(5)),
      down(appCheck.id, T(5)),
    ]);
    expect(await checkRow(vmCheck.id)).toMatchObject({ state: 'up', cause_type: null });
    expect(await checkRow(appCheck.id)).toMatchObject({ state: 'down', cause_type: null });
  });

  it('suppresses a dependent whose result comes later in the same batch as its parent’s failure', async () => {
    const { site, system: firewall } = await insertClientWithSystem(db());
    const mail = await insertSystem(db(), site, { name: 'Mail' });
    await insertDependency(db(), mail, firewall);
    const fw = await insertCheck(db(), firewall);
    const smtp = await insertCheck(db(), mail);
    await ingestResults(hub.ctx, { type: 'hub' }, [up(smtp.id, T(0)), up(fw.id, T(0))]);
    await ingestResults(hub.ctx, { type: 'hub' }, [down(smtp.id, T(2)), down(fw.id, T(1))]);
    const smtpChange = (await changesOf(smtp.id)).at(-1);
    const fwChange = (await changesOf(fw.id)).at(-1);
    expect(smtpChange).toMatchObject({ to_state: 'unknown', cause_id: firewall.id, root_cause_id: fwChange!.id });
    expect(await checkRow(smtp.id)).toMatchObject({ state: 'unknown', computed_state: 'down', cause_id: firewall.id });
    expect(await changesOf(smtp.id)).toHaveLength(2);
  });
});
