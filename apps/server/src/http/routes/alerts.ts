import {
  Alert,
  AlertDetail,
  AlertList,
  AlertListQuery,
  CreateEscalationPolicyRequest,
  CreateMaintenanceRequest,
  ErrorBody,
  EscalationPolicy,
  EscalationPolicyList,
  IdParams,
  MaintenanceListQuery,
  MaintenanceWindow,
  MaintenanceWindowList,
  Ok,
  UpdateEscalationPolicyRequest,
  HubHeartbeatList,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { acknowledgeAlert, resolveAlertByPerson } from '../../domain/alerts/commands.js';
import { alertDetail, listAlerts } from '../../domain/alerts/queries.js';
import { assertStaffWrite } from '../../domain/auth/policy.js';
import { hubHeartbeats } from '../../domain/hub-health/heartbeats.js';
import { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from '../../domain/escalation/policies.js';
import { createMaintenance, endMaintenanceWindow, listMaintenance } from '../../domain/maintenance/commands.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function alertRoutes(app: ZodApp, ctx: AppContext) {
  const tags = ['alerts'];
  app.get(
    '/api/alerts',
    {
      schema: {
        tags,
        summary: 'Alerts: open first, then acknowledged, then resolved (client accounts: their firm only)',
        querystring: AlertListQuery,
        response: { 200: AlertList, ...errors },
      },
    },
    async (request) => listAlerts(ctx.db.kysely, actorOf(request), request.query),
  );
  app.get(
    '/api/hub/heartbeats',
    {
      schema: {
        tags,
        summary: "The hub's own heartbeats (the escalation engine…): last pass, by which process, ok or late (staff)",
        response: { 200: HubHeartbeatList, ...errors },
      },
    },
    async (request) => {
      assertStaffWrite(actorOf(request));
      return { items: await hubHeartbeats(ctx, ctx.clock.now()) };
    },
  );
  app.get(
    '/api/alerts/:id',
    {
      schema: {
        tags,
        summary: 'One alert: its timeline, and who was paged on which channel',
        params: IdParams,
        response: { 200: AlertDetail, ...errors },
      },
    },
    async (request) => alertDetail(ctx.db.kysely, actorOf(request), request.params.id),
  );
  app.post(
    '/api/alerts/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'Acknowledge: stops the escalation and tells the others who were paged',
        params: IdParams,
        response: { 200: Alert, ...errors },
      },
    },
    async (request) => acknowledgeAlert(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/api/alerts/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve by hand (it opens again if the problem comes back)',
        params: IdParams,
        response: { 200: Alert, ...errors },
      },
    },
    async (request) => resolveAlertByPerson(ctx, actorOf(request), request.params.id),
  );

  const policyTags = ['escalation'];
  app.get(
    '/api/escalation-policies',
    {
      schema: { tags: policyTags, summary: 'Escalation policies', response: { 200: EscalationPolicyList, ...errors } },
    },
    async (request) => {
      assertStaffWrite(actorOf(request));
      return listPolicies(ctx.db.kysely);
    },
  );
  app.get(
    '/api/escalation-policies/:id',
    {
      schema: {
        tags: policyTags,
        summary: 'One escalation policy',
        params: IdParams,
        response: { 200: EscalationPolicy, ...errors },
      },
    },
    async (request) => {
      assertStaffWrite(actorOf(request));
      return getPolicy(ctx.db.kysely, request.params.id);
    },
  );
  app.post(
    '/api/escalation-policies',
    {
      schema: {
        tags: policyTags,
        summary: 'Add an escalation policy (owners and admins)',
        body: CreateEscalationPolicyRequest,
        response: { 201: EscalationPolicy, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createPolicy(ctx, actorOf(request), request.body)),
  );
  app.patch(
    '/api/escalation-policies/:id',
    {
      schema: {
        tags: policyTags,
        summary: 'Change an escalation policy (running escalations keep the one they started with)',
        params: IdParams,
        body: UpdateEscalationPolicyRequest,
        response: { 200: EscalationPolicy, ...errors },
      },
    },
    async (request) => updatePolicy(ctx, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/escalation-policies/:id',
    {
      schema: {
        tags: policyTags,
        summary: 'Delete an escalation policy',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await deletePolicy(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  const maintenanceTags = ['maintenance'];
  app.get(
    '/api/maintenance',
    {
      schema: {
        tags: maintenanceTags,
        summary: 'Maintenance windows, newest first',
        querystring: MaintenanceListQuery,
        response: { 200: MaintenanceWindowList, ...errors },
      },
    },
    async (request) => listMaintenance(ctx, actorOf(request), request.query),
  );
  app.post(
    '/api/sites/:id/maintenance',
    {
      schema: {
        tags: maintenanceTags,
        summary: 'Open a maintenance window at a site (whole site, or some systems): its alerts page nobody',
        params: IdParams,
        body: CreateMaintenanceRequest,
        response: { 201: MaintenanceWindow, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createMaintenance(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.post(
    '/api/maintenance/:id/end',
    {
      schema: {
        tags: maintenanceTags,
        summary: 'End a maintenance window now',
        params: IdParams,
        response: { 200: MaintenanceWindow, ...errors },
      },
    },
    async (request) => endMaintenanceWindow(ctx, actorOf(request), request.params.id),
  );
}
