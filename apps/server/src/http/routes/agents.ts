import {
  Agent,
  AgentEnrolment,
  AgentList,
  AgentListQuery,
  CreateAgentRequest,
  EnrolRequest,
  EnrolResponse,
  ErrorBody,
  IdParams,
  Ok,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { createAgent, deleteAgent, revokeAgent, rotateAgent } from '../../domain/agents/agent-commands.js';
import { getAgent, listAgents } from '../../domain/agents/agent-queries.js';
import { enrolAgent } from '../../domain/agents/enrol.js';
import { actorOf } from '../authenticate.js';
import { publicHubUrl } from '../public-url.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['agents'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function agentRoutes(app: ZodApp, ctx: AppContext) {
  const db = () => ctx.db.kysely;

  app.get(
    '/api/agents',
    {
      schema: {
        tags,
        summary: 'Site agents, by site; filter by site or client',
        querystring: AgentListQuery,
        response: { 200: AgentList, ...errors },
      },
    },
    async (request) => listAgents(db(), actorOf(request), request.query, ctx.settings.agentRelease?.version),
  );

  app.post(
    '/api/agents',
    {
      schema: {
        tags,
        summary:
          'Add a site agent (owner or admin); answers its one-time enrolment code (24 h) and the command to run at the site',
        body: CreateAgentRequest,
        response: { 201: AgentEnrolment, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createAgent(ctx, actorOf(request), request.body, publicHubUrl(ctx, request))),
  );

  app.get(
    '/api/agents/:id',
    {
      schema: {
        tags,
        summary: 'One site agent: status, last seen, version, host name, uptime, results waiting on its disk',
        params: IdParams,
        response: { 200: Agent, ...errors },
      },
    },
    async (request) => getAgent(db(), actorOf(request), request.params.id, ctx.settings.agentRelease?.version),
  );

  app.post(
    '/api/agents/:id/revoke',
    {
      schema: {
        tags,
        summary:
          'Revoke a site agent for good (owner or admin): its token stops working, its link is closed, and its checks become unknown ("site agent revoked") under one root state change',
        params: IdParams,
        response: { 200: Agent, ...errors },
      },
    },
    async (request) => revokeAgent(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/agents/:id/rotate',
    {
      schema: {
        tags,
        summary: 'Issue a new enrolment code (owner or admin); the current token stops working at once',
        params: IdParams,
        response: { 200: AgentEnrolment, ...errors },
      },
    },
    async (request) => rotateAgent(ctx, actorOf(request), request.params.id, publicHubUrl(ctx, request)),
  );

  app.delete(
    '/api/agents/:id',
    {
      schema: {
        tags,
        summary:
          'Delete a site agent (owner or admin); its checks are left without an agent, unknown ("site agent deleted")',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await deleteAgent(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/agent/enrol',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'For the agent: exchange a one-time enrolment code for the agent’s own token (wrong codes are rate limited per address)',
        body: EnrolRequest,
        response: { 200: EnrolResponse, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) => enrolAgent(ctx, request.body, request.ip),
  );
}
