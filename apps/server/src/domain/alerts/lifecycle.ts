import type { AlertSnapshot } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { AlertsTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit/record.js';
import { startEscalation, stopEscalation, tellPaged } from '../escalation/engine.js';
import type { Message } from '../escalation/ports.js';
import { incidentAcknowledgeable, markIncidentAcknowledged } from '../incidents/acknowledged.js';
import { joinOpenIncident, noteAlertResolved } from '../incidents/membership.js';
import type { Subject } from './links.js';
import { decidePaging } from './paging.js';
import { userNames } from '../auth/users.js';
import { addTimeline } from './timeline.js';

export function snapshotOf(row: AlertsTable): AlertSnapshot {
  return {
    state: row.state as AlertSnapshot['state'],
    subjectState: row.subject_state,
    flapping: row.flapping === 1,
    changes: JSON.parse(row.changes_json),
    resolvedAt: row.resolved_at,
    resolution: row.resolution as AlertSnapshot['resolution'],
    lastChangeAt: row.last_change_at,
  };
}

const subjectOf = (row: Pick<AlertsTable, 'id'>): Subject => ({ type: 'alert', id: row.id });

/** A message as it reads on a lock screen: client, site, what is wrong, since when. */
export async function alertMessage(db: Kdb, row: AlertsTable, prefix = ''): Promise<Omit<Message, 'links'>> {
  const where = row.site_id
    ? await db
        .selectFrom('sites')
        .innerJoin('clients', 'clients.id', 'sites.client_id')
        .select(['sites.name as site', 'clients.name as client'])
        .where('sites.id', '=', row.site_id)
        .executeTakeFirst()
    : undefined;
  return {
    title: `${prefix}${where ? `${where.client}: ` : ''}${row.title}`,
    body: row.reason,
    ...(where ? { client: where.client, site: where.site } : {}),
    since: row.opened_at,
    ...(row.flapping ? { lines: ['Flapping: it keeps changing state'] } : {}),
  };
}

export interface NewAlert {
  kind: 'check' | 'site' | 'heartbeat' | 'system' | 'power';
  key: string;
  title: string;
  reason: string;
  criticality: 'low' | 'normal' | 'high' | 'critical';
  clientId: string | null;
  siteId: string | null;
  systemId: string | null;
  checkId?: string | null;
  heartbeatId?: string | null;
  agentId?: string | null;
  subjectState: string;
  rootChangeId?: string | null;
  changes?: string[];
  /** A server's alert: its failing checks. */
  failing?: Array<{ checkId: string; name: string; since: string; reason: string }>;
  at: string;
}

/** Decides paging (maintenance, contract, criticality), records why, and starts the escalation if it pages. */
async function page(trx: Kdb, row: AlertsTable, now: string): Promise<AlertsTable> {
  const incident = await joinOpenIncident(trx, row, now);
  if (incident !== null) return holdForIncident(trx, row, incident, now);
  const facts = await decidePaging(
    trx,
    { clientId: row.client_id, siteId: row.site_id, systemId: row.system_id },
    row.criticality as NewAlert['criticality'],
    new Date(now),
  );
  let next: AlertsTable = {
    ...row,
    pages: facts.pages ? 1 : 0,
    page_reason: facts.reason,
    maintenance_id: facts.maintenanceId,
  };
  if (facts.pages) {
    const policy = await startEscalation(trx, {
      subject: subjectOf(row),
      policyId: facts.policyId,
      message: await alertMessage(trx, next),
      urgency: 'high',
      now,
    });
    next = { ...next, policy_id: policy.id, policy_json: JSON.stringify(policy) };
  } else {
    await addTimeline(trx, subjectOf(row), now, {
      kind: facts.maintenanceId ? 'maintenance' : 'held',
      summary: `Not paged: ${facts.reason}`,
    });
  }
  await trx
    .updateTable('alerts')
    .set({
      pages: next.pages,
      page_reason: next.page_reason,
      maintenance_id: next.maintenance_id,
      policy_id: next.policy_id,
      policy_json: next.policy_json,
    })
    .where('id', '=', row.id)
    .execute();
  return next;
}

/** The alert joined an open incident of its site: the people on the incident have it, so nobody is paged again. */
async function holdForIncident(trx: Kdb, row: AlertsTable, incidentNumber: number, now: string): Promise<AlertsTable> {
  const reason = `part of incident #${incidentNumber}: nobody is paged again`;
  await trx.updateTable('alerts').set({ pages: 0, page_reason: reason }).where('id', '=', row.id).execute();
  await addTimeline(trx, subjectOf(row), now, { kind: 'held', summary: `Not paged: ${reason}` });
  return { ...row, pages: 0, page_reason: reason };
}

export async function openAlert(trx: Kdb, draft: NewAlert, now: string): Promise<AlertsTable> {
  const row: AlertsTable = {
    id: newId(),
    kind: draft.kind,
    key: draft.key,
    open_key: draft.key,
    client_id: draft.clientId,
    site_id: draft.siteId,
    system_id: draft.systemId,
    check_id: draft.checkId ?? null,
    heartbeat_id: draft.heartbeatId ?? null,
    agent_id: draft.agentId ?? null,
    title: draft.title,
    reason: draft.reason,
    criticality: draft.criticality,
    state: 'open',
    subject_state: draft.subjectState,
    flapping: 0,
    changes_json: JSON.stringify(draft.changes ?? [draft.at]),
    maintenance_id: null,
    pages: 0,
    page_reason: '',
    root_change_id: draft.rootChangeId ?? null,
    affected_json: '[]',
    failing_json: JSON.stringify(draft.failing ?? []),
    policy_id: null,
    policy_json: null,
    opened_at: draft.at,
    last_change_at: draft.at,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    resolution: null,
    updated_at: now,
  };
  await trx.insertInto('alerts').values(row).execute();
  await addTimeline(trx, subjectOf(row), now, { kind: 'opened', summary: `${draft.title}: ${draft.reason}` });
  return page(trx, row, now);
}

/** A problem soon after a recovery: the same alert again, paging again (a new epoch of its escalation). */
export async function reopenAlert(
  trx: Kdb,
  row: AlertsTable,
  next: AlertSnapshot,
  change: { reason: string; rootChangeId: string | null },
  now: string,
): Promise<AlertsTable> {
  const reopened: AlertsTable = {
    ...row,
    open_key: row.key,
    state: 'open',
    subject_state: next.subjectState,
    flapping: next.flapping ? 1 : 0,
    changes_json: JSON.stringify(next.changes),
    reason: change.reason,
    root_change_id: change.rootChangeId ?? row.root_change_id,
    last_change_at: next.lastChangeAt,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    resolution: null,
    updated_at: now,
  };
  await trx.updateTable('alerts').set(reopened).where('id', '=', row.id).execute();
  await addTimeline(trx, subjectOf(row), now, {
    kind: next.flapping ? 'flapping' : 'reopened',
    summary: next.flapping
      ? `Flapping: ${next.changes.length} changes in the flap window; it stays open until it settles`
      : `Again: ${change.reason}`,
  });
  return page(trx, reopened, now);
}

/** The thing changed while the alert is open (still a problem, or well again while flapping). */
export async function updateAlert(
  trx: Kdb,
  row: AlertsTable,
  next: AlertSnapshot,
  reason: string,
  now: string,
): Promise<void> {
  const changed = next.subjectState !== row.subject_state;
  await trx
    .updateTable('alerts')
    .set({
      subject_state: next.subjectState,
      changes_json: JSON.stringify(next.changes),
      last_change_at: next.lastChangeAt,
      reason: changed ? reason : row.reason,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .execute();
  if (changed)
    await addTimeline(trx, subjectOf(row), now, { kind: 'changed', summary: `Now ${next.subjectState}: ${reason}` });
}

/**
 * Resolves an alert, by recovery (`by` null) or by a person: ends its escalation, cancels pages not yet sent,
 * and tells everyone who was paged.
 */
export async function resolveAlert(
  trx: Kdb,
  row: AlertsTable,
  by: { userId: string | null; reason: string },
  now: string,
): Promise<AlertsTable> {
  const resolved: AlertsTable = {
    ...row,
    open_key: null,
    state: 'resolved',
    resolved_at: now,
    resolved_by: by.userId,
    resolution: by.userId ? 'person' : 'recovered',
    updated_at: now,
  };
  await trx.updateTable('alerts').set(resolved).where('id', '=', row.id).execute();
  const subject = subjectOf(row);
  await stopEscalation(trx, subject, 'resolved', now);
  await noteAlertResolved(trx, row, by, now);
  const name = by.userId ? ((await userNames(trx, [by.userId])).get(by.userId) ?? 'someone') : null;
  const summary = name ? `Resolved by ${name}` : `Recovered: ${by.reason}`;
  await addTimeline(trx, subject, now, { kind: name ? 'resolved' : 'recovered', summary, actorId: by.userId });
  const base = await alertMessage(trx, resolved, name ? 'Resolved: ' : 'Recovered: ');
  await tellPaged(trx, subject, { ...base, body: summary, links: {} }, now, by.userId, `resolved:${now}`);
  return resolved;
}

export interface AckOutcome {
  /** False when it was already acknowledged or resolved (nothing changed). */
  acknowledged: boolean;
  /** Who had acknowledged it, when it already was. */
  by: string | null;
}

/**
 * Acknowledges a subject as `userId` — from the app, a signed link, an "ack" reply by e-mail or SMS, a voice
 * "press 1": stops its escalation, cancels its pages not yet handed over, tells everyone else who was paged,
 * and records it (timeline and audit). Idempotent: a second acknowledgement changes nothing.
 * `db` may be a transaction; otherwise one is opened.
 */
export async function acknowledgeSubject(
  db: Kdb,
  subject: Subject,
  userId: string,
  via: string,
  now: string,
): Promise<AckOutcome> {
  if (!db.isTransaction) return db.transaction().execute((trx) => acknowledgeSubject(trx, subject, userId, via, now));
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role', 'client_id', 'disabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.disabled || user.role === 'client') return { acknowledged: false, by: null };
  const earlier = await db
    .selectFrom('acknowledgements')
    .select('user_id')
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .orderBy('at')
    .executeTakeFirst();
  let alert: AlertsTable | undefined;
  let incidentClient: string | null = null;
  let incidentTitle: string | null = null;
  if (subject.type === 'alert') {
    alert = await db.selectFrom('alerts').selectAll().where('id', '=', subject.id).executeTakeFirst();
    if (!alert) return { acknowledged: false, by: null };
    if (alert.state !== 'open') return { acknowledged: false, by: alert.acknowledged_by };
  } else if (subject.type === 'test') {
    // Each test page can be acknowledged afresh: the latest acknowledgement is the one kept.
    await db
      .deleteFrom('acknowledgements')
      .where('subject_type', '=', 'test')
      .where('subject_id', '=', subject.id)
      .execute();
  } else if (subject.type === 'incident') {
    const incident = await incidentAcknowledgeable(db, subject.id);
    if (!incident.ok || earlier) return { acknowledged: false, by: earlier?.user_id ?? null };
    incidentClient = incident.clientId;
    incidentTitle = incident.title;
  } else if (earlier) return { acknowledged: false, by: earlier.user_id };

  await db
    .insertInto('acknowledgements')
    .values({ subject_type: subject.type, subject_id: subject.id, user_id: userId, via, at: now })
    .execute();
  await stopEscalation(db, subject, 'acknowledged', now);
  if (alert)
    await db
      .updateTable('alerts')
      .set({ state: 'acknowledged', acknowledged_at: now, acknowledged_by: userId, updated_at: now })
      .where('id', '=', subject.id)
      .execute();
  const summary = `Acknowledged by ${user.name} (${via})`;
  await addTimeline(db, subject, now, { kind: 'acknowledged', summary, actorId: userId });
  if (subject.type === 'incident') await markIncidentAcknowledged(db, subject.id, user, via, now);
  const base = alert
    ? await alertMessage(db, alert, 'Acknowledged: ')
    : { title: incidentTitle ? `Acknowledged: ${incidentTitle}` : `Acknowledged by ${user.name}`, body: '' };
  await tellPaged(db, subject, { ...base, body: summary, links: {} }, now, userId, `ack:${userId}`);
  await recordAudit(db, {
    actor: {
      type: 'user',
      id: user.id,
      userId: user.id,
      role: user.role as 'technician',
      clientId: null,
      label: user.email,
    },
    action: `${subject.type}.acknowledge`,
    entityType: subject.type,
    entityId: subject.id,
    clientId: alert?.client_id ?? incidentClient,
    summary: `${alert ? `Alert "${alert.title}"` : (incidentTitle ?? `${subject.type} ${subject.id}`)} acknowledged via ${via}`,
    at: now,
  });
  return { acknowledged: true, by: userId };
}
