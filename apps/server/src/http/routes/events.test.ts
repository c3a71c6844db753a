import { afterEach, beforeEach, expect, it } from 'vitest';
import { setupOwner } from '../../test/agent.js';
import { insertClient, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

/** Reads Server-Sent Events from a real socket until `until` is satisfied or the time runs out. */
async function readEvents(
  url: string,
  cookie: string,
  trigger: () => Promise<unknown>,
  until: (events: string[]) => boolean,
) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  let buffer = '';
  await reader.read().then(({ value }) => (buffer += decoder.decode(value)));
  await trigger();
  const deadline = Date.now() + 5000;
  while (!until(events) && Date.now() < deadline) {
    const { value, done } = await Promise.race([
      reader.read(),
      new Promise<{ value: undefined; done: true }>((r) =>
        setTimeout(() => r({ value: undefined, done: true }), deadline - Date.now()),
      ),
    ]);
    if (done) break;
    buffer += decoder.decode(value);
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (block.includes('event: change') && data) events.push(data.slice(6));
    }
  }
  controller.abort();
  return events.map((e) => JSON.parse(e));
}

forEachDatabase('live updates', (dialect) => {
  let hub: TestHub;
  let base: string;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    await hub.app.listen({ port: 0, host: '127.0.0.1' });
    const address = hub.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterEach(() => hub.close());

  it('needs a signed-in user', async () => {
    const res = await fetch(`${base}/api/events`);
    expect(res.status).toBe(401);
  });

  it('tells one signed-in screen about a change another makes', async () => {
    const owner = await setupOwner(hub);
    const cookie = (owner as unknown as { auth: { cookie: string } }).auth.cookie;
    const events = await readEvents(
      `${base}/api/events`,
      cookie,
      () => {
        hub.ctx.bus.publish({
          entity: 'client',
          id: 'x',
          action: 'created',
          clientId: 'x',
          at: hub.clock.now().toISOString(),
        });
        return Promise.resolve();
      },
      (seen) => seen.length > 0,
    );
    expect(events).toEqual([expect.objectContaining({ entity: 'client', id: 'x', action: 'created' })]);
  });

  it('tells a client user only about their own firm', async () => {
    const owner = await setupOwner(hub);
    const mine = await insertClient(hub.ctx.db.kysely, { name: 'Mine' });
    const theirs = await insertClient(hub.ctx.db.kysely, { name: 'Theirs' });
    const clientUser = await signedInAs(hub, 'client', mine.id);
    const cookie = (clientUser as unknown as { auth: { cookie: string } }).auth.cookie;
    const events = await readEvents(
      `${base}/api/events`,
      cookie,
      async () => {
        expect((await owner.patch(`/api/clients/${theirs.id}`, { notes: 'secret plans' })).status).toBe(200);
        expect((await owner.patch(`/api/clients/${mine.id}`, { notes: 'their own news' })).status).toBe(200);
      },
      (seen) => seen.length > 0,
    );
    expect(events.map((e) => e.id)).toEqual([mine.id]);
  });
});
