import type { ChangeEvent } from '@afterhours/shared';
import pg from 'pg';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../test/harness.js';
import { EventBus } from './bus.js';
import type { PeerMessage } from './peer-message.js';
import { PostgresFanout } from './postgres-fanout.js';

const log = pino({ level: 'silent' });
const started: Array<{ fanout: PostgresFanout; notifier: pg.Client }> = [];

async function hubProcess() {
  const bus = new EventBus();
  const notifier = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await notifier.connect();
  const fanout = new PostgresFanout(
    TEST_DATABASE_URL,
    bus,
    async (channel, payload) => {
      await notifier.query('select pg_notify($1, $2)', [channel, payload]);
    },
    log,
  );
  await fanout.start();
  started.push({ fanout, notifier });
  const heard: ChangeEvent[] = [];
  bus.subscribe((e) => heard.push(e));
  return { bus, heard };
}

afterEach(async () => {
  for (const { fanout, notifier } of started.splice(0)) {
    await fanout.stop();
    await notifier.end();
  }
});

it('carries a change made on one hub process to the live streams of another, once', async () => {
  const a = await hubProcess();
  const b = await hubProcess();
  const event: ChangeEvent = {
    entity: 'client',
    id: 'c-1',
    action: 'updated',
    clientId: 'c-1',
    at: new Date().toISOString(),
  };
  a.bus.publish(event);
  await expect.poll(() => b.heard.length, { timeout: 5000 }).toBe(1);
  expect(b.heard[0]).toEqual(event);
  await new Promise((r) => setTimeout(r, 200));
  expect(a.heard).toHaveLength(1);
  expect(b.heard).toHaveLength(1);
});

it('carries peer messages between hub processes too, never as change events', async () => {
  const a = await hubProcess();
  const b = await hubProcess();
  expect(a.bus.crossesProcesses).toBe(true);
  const peersOfB: PeerMessage[] = [];
  b.bus.subscribePeer((m) => peersOfB.push(m));
  const message: PeerMessage = { type: 'agent.run', requestId: 'r-1', agentId: 'a-1', checkId: 'c-1' };
  a.bus.publishPeer(message);
  await expect.poll(() => peersOfB.length, { timeout: 5000 }).toBe(1);
  expect(peersOfB[0]).toEqual(message);
  expect(b.heard).toEqual([]);
});
