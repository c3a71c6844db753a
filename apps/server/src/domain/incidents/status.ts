import type { ChangeStatusRequest, IncidentDetail, IncidentStatus } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { conflict } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { stopEscalation, tellPaged } from '../escalation/engine.js';
import { wakeOutbox } from '../escalation/ports.js';
import { OPEN_TASK_STATUSES } from '../tasks/queries.js';
import { visibleIncident } from './access.js';
import { incidentDetail } from './queries.js';
import { statusRefusal } from './status-rules.js';
import { addTimelineEntry } from './timeline.js';

/**
 * Moves an incident through investigating → identified → monitoring → resolved (or reopens it), with who and
 * when. Resolving stops any paging, ends the incident's hold on its sites (their alerts page again) and tells
 * everyone who was paged; a refused change says why.
 */
export async function changeStatus(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ChangeStatusRequest,
): Promise<IncidentDetail> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const row = await visibleIncident(tx.db, actor, id);
    const unfinished = await tx.db
      .selectFrom('tasks')
      .select('title')
      .where('incident_id', '=', id)
      .where('status', 'in', [...OPEN_TASK_STATUSES])
      .orderBy('created_at')
      .execute();
    const from = row.status as IncidentStatus;
    const refusal = statusRefusal({ from, to: input.status, unfinishedTasks: unfinished.map((t) => t.title) });
    if (refusal) throw conflict(refusal, { status: refusal });
    const resolving = input.status === 'resolved';
    const reopening = from === 'resolved';
    await tx.db
      .updateTable('incidents')
      .set({
        status: input.status,
        status_at: tx.now,
        status_by: actor.userId,
        ...(resolving ? { resolved_at: tx.now, resolved_by: actor.userId } : {}),
        ...(reopening ? { resolved_at: null, resolved_by: null } : {}),
        // Resolving what nobody acknowledged stops the clock to acknowledge too.
        ...(resolving && !row.acknowledged_at ? { acknowledged_at: tx.now, acknowledged_by: actor.userId } : {}),
        updated_at: tx.now,
      })
      .where('id', '=', id)
      .execute();
    if (resolving || reopening)
      await tx.db
        .updateTable('incident_sites')
        .set({ open: resolving ? 0 : 1 })
        .where('incident_id', '=', id)
        .execute();
    const verb = reopening ? 'Reopened' : resolving ? 'Resolved' : `Status: ${input.status}`;
    const text = `${verb}${input.note ? ` — ${input.note}` : ''}`;
    await addTimelineEntry(tx.db, {
      incidentId: id,
      kind: 'status',
      at: tx.now,
      actorUserId: actor.userId,
      text,
      data: { from, to: input.status },
    });
    if (resolving) {
      const subject = { type: 'incident' as const, id };
      await stopEscalation(tx.db, subject, 'resolved', tx.now);
      await tellPaged(
        tx.db,
        subject,
        { title: `Resolved: incident #${row.number}: ${row.title}`, body: text, links: {} },
        tx.now,
        actor.userId,
        `resolved:${tx.now}`,
      );
    }
    await tx.audit({
      action: 'incident.status',
      entityType: 'incident',
      entityId: id,
      clientId: row.client_id,
      summary: `Incident #${row.number}: ${text}`,
      before: { status: from },
      after: { status: input.status },
    });
    tx.emit({ entity: 'incident', id, action: 'updated', clientId: row.client_id });
  });
  wakeOutbox(ctx.bus);
  return incidentDetail(ctx, actor, id);
}
