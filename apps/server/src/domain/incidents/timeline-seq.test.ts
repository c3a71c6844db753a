import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertClientWithSystem, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

/** Many people (and workers) writing to one incident at once: every line gets its own seq, in order of writing. */
forEachDatabase('timeline seq under concurrent writes', (dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub(dialect);
  });
  afterAll(() => hub.close());

  it('gives 40 notes written at once 40 different seqs, none lost', async () => {
    const db = hub.ctx.db.kysely;
    const scene = await insertClientWithSystem(db);
    const techs = await Promise.all([1, 2, 3, 4].map(() => signedInAs(hub, 'technician')));
    const opened = await techs[0]!.post('/api/incidents', {
      clientId: scene.client.id,
      summary: 'Power going on and off',
      acknowledge: true,
    });
    const id = opened.body.id as string;
    const before = opened.body.timeline.length as number;
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => techs[i % 4]!.post(`/api/incidents/${id}/notes`, { text: `Note ${i}` })),
    );
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 201));
    const rows = await db.selectFrom('incident_timeline').select('seq').where('incident_id', '=', id).execute();
    const seqs = rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: before + 40 }, (_, i) => i + 1));
    const counter = await db.selectFrom('incidents').select('timeline_seq').where('id', '=', id).executeTakeFirst();
    expect(Number(counter?.timeline_seq)).toBe(before + 40);
  });
});
