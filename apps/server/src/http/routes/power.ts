import {
  ErrorBody,
  HostKeyRepinRequest,
  IdParams,
  Ok,
  OutageRequest,
  PlanRequest,
  PowerDryRun,
  PowerOrdered,
  ShutdownNowRequest,
  SitePowerView,
  SystemPowerRequest,
  UpsRequest,
} from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { orderShutdown, orderStartup, repinHostKey, savePlan, saveSystemPower } from '../../domain/power/commands.js';
import { addOutage, addUps, removeOutage, removeUps, updateUps } from '../../domain/power/setup.js';
import { dryRunFor, getSitePower } from '../../domain/power/queries.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['power'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const Created = z.object({ id: z.string() });

export async function powerRoutes(app: ZodApp, ctx: AppContext) {
  const agentConnected = async (siteId: string) => {
    const agents = await ctx.db.kysely.selectFrom('agents').select('status').where('site_id', '=', siteId).execute();
    return agents.some((a) => a.status === 'online');
  };

  app.get(
    '/api/sites/:id/power',
    {
      schema: {
        tags,
        summary:
          "A site's power: state, UPSes, plan, systems' power actions (no secrets), outages, events, log; a client user gets only whether it is protected and what happened",
        params: IdParams,
        response: { 200: SitePowerView, ...errors },
      },
    },
    async (request) => getSitePower(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/sites/:id/power/ups',
    {
      schema: {
        tags,
        summary: 'Add a UPS (NUT or SNMP) to a site',
        params: IdParams,
        body: UpsRequest,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await addUps(ctx, actorOf(request), request.params.id, request.body) }),
  );

  app.put(
    '/api/power/ups/:id',
    {
      schema: {
        tags,
        summary: 'Change a UPS: name, connection, poll interval, "stable for" time ("***" keeps a stored password)',
        params: IdParams,
        body: UpsRequest,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await updateUps(ctx, actorOf(request), request.params.id, request.body);
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/power/ups/:id',
    {
      schema: { tags, summary: 'Remove a UPS from its site', params: IdParams, response: { 200: Ok, ...errors } },
    },
    async (request) => {
      await removeUps(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/power/outages/:id',
    {
      schema: {
        tags,
        summary: 'Remove a planned power outage window',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await removeOutage(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/systems/:id/power/host-key',
    {
      schema: {
        tags,
        summary: "Re-pin a system's SSH host key after a reinstall (owner or admin; type the system's name)",
        params: IdParams,
        body: HostKeyRepinRequest,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await repinHostKey(ctx, actorOf(request), request.params.id, request.body);
      return { ok: true as const };
    },
  );

  app.put(
    '/api/sites/:id/power/plan',
    {
      schema: {
        tags,
        summary: "Save the site's shutdown/startup plan",
        params: IdParams,
        body: PlanRequest,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await savePlan(ctx, actorOf(request), request.params.id, request.body);
      return { ok: true as const };
    },
  );

  app.put(
    '/api/systems/:id/power',
    {
      schema: {
        tags,
        summary: "Set a system's shutdown and startup actions (secrets stored encrypted, never returned)",
        params: IdParams,
        body: SystemPowerRequest,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await saveSystemPower(ctx, actorOf(request), request.params.id, request.body);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/sites/:id/power/outages',
    {
      schema: {
        tags,
        summary: 'Add a planned power outage window',
        params: IdParams,
        body: OutageRequest,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await addOutage(ctx, actorOf(request), request.params.id, request.body) }),
  );

  app.get(
    '/api/sites/:id/power/dry-run',
    {
      schema: {
        tags,
        summary: 'What the plan would do: order, commands, time per stage, total against the UPS runtime (staff only)',
        params: IdParams,
        response: { 200: PowerDryRun, ...errors },
      },
    },
    async (request) => dryRunFor(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/sites/:id/power/shutdown',
    {
      schema: {
        tags,
        summary: "Shut this site down now (technician or above; type the site's name and your password or code)",
        params: IdParams,
        body: ShutdownNowRequest,
        response: { 202: PowerOrdered, ...errors },
      },
    },
    async (request, reply) => {
      await orderShutdown(ctx, actorOf(request), request.params.id, request.body);
      return reply
        .status(202)
        .send({ ordered: true as const, agentConnected: await agentConnected(request.params.id) });
    },
  );

  app.post(
    '/api/sites/:id/power/startup',
    {
      schema: {
        tags,
        summary: 'Start the site up (after a shutdown), or confirm a manual step of one system',
        params: IdParams,
        body: z.object({ systemId: z.string().optional() }),
        response: { 202: PowerOrdered, ...errors },
      },
    },
    async (request, reply) => {
      await orderStartup(ctx, actorOf(request), request.params.id, request.body.systemId);
      return reply
        .status(202)
        .send({ ordered: true as const, agentConnected: await agentConnected(request.params.id) });
    },
  );
}
