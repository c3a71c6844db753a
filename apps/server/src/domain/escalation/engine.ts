import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { EscalationsTable } from '../../db/schema.js';
import { addMs } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { ackLink, openLink, type Subject } from '../alerts/links.js';
import { addTimeline } from '../alerts/timeline.js';
import { userNames } from '../auth/users.js';
import { policyFor } from './policies.js';
import { type Message, cancelPending, notifyUser, onCallAt, pageUser, teamMembers } from './ports.js';
import { positionAfter, roundOf, type PolicySnapshot } from './steps.js';

/** What the engine needs of the hub: signed links (secrets, public URL) and nothing else. */
export type EngineContext = Pick<AppContext, 'secrets' | 'settings' | 'clock'>;

export interface StartEscalation {
  subject: Subject;
  /** The policy to follow; null or absent: the hub's default policy. */
  policyId?: string | null;
  /** Without links: each page gets its person's signed acknowledge link and the open link. */
  message: Omit<Message, 'links'>;
  urgency: 'high' | 'low';
  now: string;
}

/**
 * Starts paging for a subject, in the caller's transaction: a durable row due at once that the escalation
 * worker runs step by step. The policy is copied into the row, so later edits do not change a running
 * escalation. A subject that escalated before starts again from the first step with a new epoch (pages of
 * the new epoch are new messages; the old ones stay sent). Answers the snapshot used.
 */
export async function startEscalation(trx: Kdb, input: StartEscalation): Promise<PolicySnapshot> {
  const policy = await policyFor(trx, input.policyId ?? null);
  const existing = await trx
    .selectFrom('escalations')
    .select(['id', 'epoch'])
    .where('subject_type', '=', input.subject.type)
    .where('subject_id', '=', input.subject.id)
    .executeTakeFirst();
  const values = {
    policy_id: policy.id,
    policy_json: JSON.stringify(policy),
    step: 0,
    pass: 0,
    state: 'active',
    due_at: input.now,
    message_json: JSON.stringify(input.message),
    urgency: input.urgency,
    updated_at: input.now,
  };
  if (existing) {
    await trx
      .updateTable('escalations')
      .set({ ...values, epoch: existing.epoch + 1 })
      .where('id', '=', existing.id)
      .execute();
  } else {
    await trx
      .insertInto('escalations')
      .values({
        id: newId(),
        subject_type: input.subject.type,
        subject_id: input.subject.id,
        epoch: 1,
        created_at: input.now,
        ...values,
      })
      .execute();
  }
  return policy;
}

/** Stops paging (acknowledged or resolved): no further step runs, and pages not yet handed over are cancelled. */
export async function stopEscalation(
  trx: Kdb,
  subject: Subject,
  state: 'acknowledged' | 'resolved',
  now: string,
): Promise<void> {
  await trx
    .updateTable('escalations')
    .set({ state, due_at: null, updated_at: now })
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('state', 'in', ['active', 'acknowledged'])
    .execute();
  await cancelPending(trx, subject, now);
}

/**
 * Everyone paged for a subject, except `except`, is told `message` once per `round` (acknowledged,
 * resolved, recovered).
 */
export async function tellPaged(
  trx: Kdb,
  subject: Subject,
  message: Message,
  now: string,
  except: string | null,
  round: string,
): Promise<string[]> {
  const paged = await trx
    .selectFrom('subject_pages')
    .select('user_id')
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .execute();
  const told = paged.map((p) => p.user_id).filter((id) => id !== except);
  for (const userId of told) await notifyUser(trx, { userId, subject, round, message, urgency: 'high', now });
  return told;
}

/** The people a step's targets name at `at`, each once, in order. */
export async function resolveTargets(trx: Kdb, targets: PolicySnapshot['steps'][number]['targets'], at: Date) {
  const users: string[] = [];
  const gaps: string[] = [];
  for (const target of targets) {
    let found: string[];
    if (target.type === 'user') {
      const user = await trx
        .selectFrom('users')
        .select('id')
        .where('id', '=', target.id)
        .where('disabled', '=', 0)
        .executeTakeFirst();
      found = user ? [user.id] : [];
    } else if (target.type === 'schedule') found = await onCallAt(trx, target.id, at);
    else found = await teamMembers(trx, target.id);
    if (!found.length) gaps.push(`${target.type} ${target.id}`);
    for (const id of found) if (!users.includes(id)) users.push(id);
  }
  return { users, gaps };
}

/**
 * Runs the due step of one escalation claimed by the worker, in the worker's transaction: pages the step's
 * people (pageUser is idempotent per subject, round and person, so a step run twice after a crash sends
 * nothing twice), then moves the row to the next step's due time, or ends it.
 */
export async function runStep(trx: Kdb, ctx: EngineContext, row: EscalationsTable, now: string): Promise<string[]> {
  const policy = JSON.parse(row.policy_json) as PolicySnapshot;
  const subject: Subject = { type: row.subject_type as Subject['type'], id: row.subject_id };
  const at = { step: row.step, pass: row.pass };
  const step = policy.steps[at.step];
  const round = roundOf(row.epoch, at);
  const { users, gaps } = step ? await resolveTargets(trx, step.targets, new Date(now)) : { users: [], gaps: [] };
  if (!step) {
    // The last step's wait is over and nobody acknowledged.
    await trx
      .updateTable('escalations')
      .set({ state: 'exhausted', due_at: null, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    await addTimeline(trx, subject, now, {
      kind: 'exhausted',
      summary: `Every step of ${policy.name} has run and nobody acknowledged`,
    });
    return [];
  }
  const base = JSON.parse(row.message_json) as Omit<Message, 'links'>;
  for (const userId of users) {
    const message: Message = { ...base, links: { ack: ackLink(ctx, subject, userId), open: openLink(ctx, subject) } };
    await pageUser(trx, { userId, subject, round, message, urgency: row.urgency as 'high' | 'low', now });
    const updated = await trx
      .updateTable('subject_pages')
      .set({ last_round: round })
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      await trx
        .insertInto('subject_pages')
        .values({
          subject_type: subject.type,
          subject_id: subject.id,
          user_id: userId,
          first_at: now,
          last_round: round,
        })
        .execute();
  }
  const names = await userNames(trx, users);
  const label = `step ${at.step + 1} of ${policy.steps.length}${policy.repeat ? `, pass ${at.pass + 1} of ${policy.repeat + 1}` : ''}`;
  await addTimeline(trx, subject, now, {
    kind: 'paged',
    summary: users.length
      ? `Paged ${users.map((u) => names.get(u) ?? u).join(', ')} (${label}, ${policy.name})`
      : `Nobody to page at ${label} of ${policy.name}${gaps.length ? `: no one in ${gaps.join(', ')}` : ''}`,
    data: { round, users, gaps },
  });
  const next = positionAfter(policy, at);
  // After the last step, wait its time once more before calling the escalation exhausted.
  const after = next ?? { step: policy.steps.length, pass: at.pass };
  await trx
    .updateTable('escalations')
    .set({ step: after.step, pass: after.pass, due_at: addMs(now, step.waitMinutes * 60_000), updated_at: now })
    .where('id', '=', row.id)
    .execute();
  return users;
}
