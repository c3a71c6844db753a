import { afterEach, beforeEach, expect, it } from 'vitest';
import { setupOwner } from '../../test/agent.js';
import { insertClient, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { openLive } from '../../test/live.js';

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
    const live = await openLive(base, cookie);
    hub.ctx.bus.publish({
      entity: 'client',
      id: 'x',
      action: 'created',
      clientId: 'x',
      at: hub.clock.now().toISOString(),
    });
    await live.until((seen) => seen.length > 0);
    await live.close();
    expect(live.events).toEqual([expect.objectContaining({ entity: 'client', id: 'x', action: 'created' })]);
  });

  it('tells a client user only about their own firm', async () => {
    const owner = await setupOwner(hub);
    const mine = await insertClient(hub.ctx.db.kysely, { name: 'Mine' });
    const theirs = await insertClient(hub.ctx.db.kysely, { name: 'Theirs' });
    const clientUser = await signedInAs(hub, 'client', mine.id);
    const cookie = (clientUser as unknown as { auth: { cookie: string } }).auth.cookie;
    const live = await openLive(base, cookie);
    expect((await owner.patch(`/api/clients/${theirs.id}`, { notes: 'secret plans' })).status).toBe(200);
    expect((await owner.patch(`/api/clients/${mine.id}`, { notes: 'their own news' })).status).toBe(200);
    await live.until((seen) => seen.length > 0);
    await live.close();
    expect(live.events.map((e) => e.id)).toEqual([mine.id]);
  });
});
