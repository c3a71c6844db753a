import type { CreateTeamRequest, Team, UpdateTeamRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { TeamsTable } from '../../db/schema.js';
import { conflict, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { change, type ChangeTx } from '../change.js';
import { assertStaffUsers, indexed, peopleById } from './people.js';
import { assertCanEditOnCall, assertCanSeeOnCall } from './policy.js';
import { presentTeam } from './presenter.js';

async function memberIdsOf(db: Kdb, teamId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members')
    .select('user_id')
    .where('team_id', '=', teamId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.user_id);
}

async function present(db: Kdb, row: TeamsTable): Promise<Team> {
  const ids = await memberIdsOf(db, row.id);
  return presentTeam(row, ids, await peopleById(db, ids));
}

async function findTeam(db: Kdb, id: string): Promise<TeamsTable> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The team');
  return row;
}

async function assertNameFree(db: Kdb, name: string, except?: string): Promise<void> {
  let q = db.selectFrom('teams').select('id').where('name_lower', '=', name.toLowerCase());
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw conflict('A team with this name exists', { name: 'is already used' });
}

async function setMembers(tx: ChangeTx, teamId: string, ids: string[]): Promise<void> {
  await tx.db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  const unique = [...new Set(ids)];
  if (unique.length)
    await tx.db
      .insertInto('team_members')
      .values(unique.map((user_id, position) => ({ team_id: teamId, user_id, position })))
      .execute();
}

export async function listTeams(db: Kdb, actor: Actor): Promise<{ items: Team[] }> {
  assertCanSeeOnCall(actor);
  const rows = await db.selectFrom('teams').selectAll().orderBy('name_lower').execute();
  return { items: await Promise.all(rows.map((r) => present(db, r))) };
}

export async function getTeam(db: Kdb, actor: Actor, id: string): Promise<Team> {
  assertCanSeeOnCall(actor);
  return present(db, await findTeam(db, id));
}

export async function createTeam(ctx: AppContext, actor: Actor, input: z.infer<typeof CreateTeamRequest>) {
  assertCanEditOnCall(actor);
  return change(ctx, actor, async (tx) => {
    await assertNameFree(tx.db, input.name);
    await assertStaffUsers(tx.db, indexed('memberIds', input.memberIds));
    const row: TeamsTable = {
      id: newId(),
      name: input.name,
      name_lower: input.name.toLowerCase(),
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('teams').values(row).execute();
    await setMembers(tx, row.id, input.memberIds);
    await tx.audit({
      action: 'team.create',
      entityType: 'team',
      entityId: row.id,
      clientId: null,
      summary: `Team "${row.name}" created`,
      after: { name: row.name, memberIds: input.memberIds },
    });
    tx.emit({ entity: 'team', id: row.id, action: 'created', clientId: null });
    return present(tx.db, row);
  });
}

export async function updateTeam(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof UpdateTeamRequest>) {
  assertCanEditOnCall(actor);
  return change(ctx, actor, async (tx) => {
    const before = await findTeam(tx.db, id);
    const beforeMembers = await memberIdsOf(tx.db, id);
    if (input.name !== undefined) await assertNameFree(tx.db, input.name, id);
    if (input.memberIds) await assertStaffUsers(tx.db, indexed('memberIds', input.memberIds));
    const after: TeamsTable = {
      ...before,
      name: input.name ?? before.name,
      name_lower: (input.name ?? before.name).toLowerCase(),
      updated_at: tx.now,
    };
    await tx.db.updateTable('teams').set(after).where('id', '=', id).execute();
    if (input.memberIds) await setMembers(tx, id, input.memberIds);
    await tx.audit({
      action: 'team.update',
      entityType: 'team',
      entityId: id,
      clientId: null,
      summary: `Team "${after.name}" changed`,
      before: { name: before.name, memberIds: beforeMembers },
      after: { name: after.name, memberIds: input.memberIds ?? beforeMembers },
    });
    tx.emit({ entity: 'team', id, action: 'updated', clientId: null });
    return present(tx.db, after);
  });
}

export async function deleteTeam(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertCanEditOnCall(actor);
  await change(ctx, actor, async (tx) => {
    const before = await findTeam(tx.db, id);
    await tx.db.deleteFrom('team_members').where('team_id', '=', id).execute();
    await tx.db.updateTable('schedules').set({ team_id: null }).where('team_id', '=', id).execute();
    await tx.db.deleteFrom('teams').where('id', '=', id).execute();
    await tx.audit({
      action: 'team.delete',
      entityType: 'team',
      entityId: id,
      clientId: null,
      summary: `Team "${before.name}" deleted`,
      before: { name: before.name },
    });
    tx.emit({ entity: 'team', id, action: 'deleted', clientId: null });
  });
}
