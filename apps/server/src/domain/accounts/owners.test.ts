import type { ChangeEvent } from '@afterhours/shared';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { systemActor } from '../auth/actor.js';
import { findUserById } from '../auth/users.js';
import { assertOtherOwnerRemains } from './owners.js';
import { createUser, deleteUser, updateUser } from './users.js';

forEachDatabase('the last owner, under concurrency', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(() => hub.close());

  const actor = systemActor('test');
  const owner = (email: string) =>
    createUser(hub.ctx, actor, { email, name: email, role: 'owner', clientId: null, password: 'long enough password' });

  async function activeOwners(): Promise<number> {
    const rows = await hub.ctx.db.kysely
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'owner')
      .where('disabled', '=', 0)
      .execute();
    return rows.length;
  }

  it('lets only one of two owners step down when both try at once', async () => {
    const a = await owner('a@example.com');
    const b = await owner('b@example.com');
    const rowA = (await findUserById(hub.ctx.db.kysely, a.id))!;
    // Hold the first demotion open after its check, and start the second meanwhile: without a lock
    // each would see the other still an owner, and both would commit.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let checked!: () => void;
    const firstChecked = new Promise<void>((resolve) => (checked = resolve));
    const first = hub.ctx.db.kysely.transaction().execute(async (trx) => {
      await assertOtherOwnerRemains(trx, rowA, 'demoted');
      checked();
      await gate;
      await trx.updateTable('users').set({ role: 'admin' }).where('id', '=', a.id).execute();
    });
    await firstChecked;
    const second = updateUser(hub.ctx, actor, b.id, { role: 'admin' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ statusCode: 409 });
    expect(await activeOwners()).toBe(1);
  });

  it('keeps one owner when one is deleted while the other is disabled', async () => {
    const a = await owner('a@example.com');
    const b = await owner('b@example.com');
    await Promise.allSettled([deleteUser(hub.ctx, actor, a.id), updateUser(hub.ctx, actor, b.id, { disabled: true })]);
    expect(await activeOwners()).toBe(1);
  });

  it('tells live streams about user changes, without secrets', async () => {
    const events: ChangeEvent[] = [];
    hub.ctx.bus.subscribe((e) => events.push(e));
    const a = await owner('a@example.com');
    await updateUser(hub.ctx, actor, a.id, { name: 'Renamed' });
    await updateUser(hub.ctx, actor, a.id, {});
    expect(events.map((e) => `${e.entity} ${e.action}`)).toEqual(['user created', 'user updated']);
    expect(JSON.stringify(events)).not.toMatch(/password/i);
  });
});
