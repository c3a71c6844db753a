import fastifyWebsocket from '@fastify/websocket';
import { ErrorBody, type HubMessage } from '@afterhours/shared';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../context.js';
import type { AgentsTable } from '../db/schema.js';
import { AgentConnections } from '../domain/agents/connections.js';
import { resolveAgentToken } from '../domain/agents/enrol.js';
import { AgentSession } from '../domain/agents/session.js';
import { AppError } from './errors.js';
import type { ZodApp } from './zod-app.js';

/** The largest frame an agent may send: a batch of 1,000 results with long messages fits easily. */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** How often the hub pings each agent, and how often it writes "last seen": well inside the agent timeout. */
export function keepaliveTimings(agentTimeoutMs: number) {
  return {
    pingEveryMs: Math.max(500, Math.min(20_000, Math.floor(agentTimeoutMs / 3))),
    touchEveryMs: Math.max(250, Math.min(5_000, Math.floor(agentTimeoutMs / 6))),
  };
}

/** The link the routes and workers use: the one on the context, or a new one put there. */
export function agentConnectionsOf(ctx: AppContext): AgentConnections {
  if (ctx.agentLink instanceof AgentConnections) return ctx.agentLink;
  const connections = new AgentConnections(ctx.bus, ctx.log);
  ctx.agentLink = connections;
  return connections;
}

/**
 * `GET /api/agent/connect`: the site agents' WebSocket. Not a user route (no session, no user token):
 * the upgrade request must carry the agent's own token as `Authorization: Bearer …`, or it is refused
 * with 401 before any WebSocket exists. A plain HTTP request is told to upgrade (426).
 */
export async function agentSocketRoutes(app: ZodApp, ctx: AppContext) {
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  const connections = agentConnectionsOf(ctx);
  connections.start();
  app.addHook('onClose', async () => connections.stop());
  const agents = new WeakMap<FastifyRequest, AgentsTable>();
  const { pingEveryMs, touchEveryMs } = keepaliveTimings(ctx.settings.agentTimeoutMs);

  app.route({
    method: 'GET',
    url: '/api/agent/connect',
    config: { public: true, agentToken: true },
    schema: {
      tags: ['agents'],
      summary:
        'The site agents’ WebSocket (agent protocol in packages/shared/src/agent-protocol.ts); needs `Authorization: Bearer <agent token>` and an upgrade',
      response: { 401: ErrorBody, 426: ErrorBody },
    },
    onRequest: async (request) => {
      if (!request.ws) return; // answered by the handler below
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
      const agent = token ? await resolveAgentToken(ctx, token) : undefined;
      if (!agent)
        throw new AppError(
          401,
          'unauthenticated',
          token
            ? 'The agent token is unknown or revoked; enrol the agent again'
            : 'Connect with the agent token: Authorization: Bearer <token>',
        );
      agents.set(request, agent);
    },
    handler: async (_request, reply) =>
      reply
        .status(426)
        .header('upgrade', 'websocket')
        .send({
          error: {
            code: 'upgrade_required',
            message: 'This is the site agents’ WebSocket endpoint; connect with afterhours-agent',
          },
        }),
    wsHandler: (socket: WebSocket, request) => {
      const agent = agents.get(request);
      if (!agent) return socket.close(1008, 'not authenticated');
      const session = new AgentSession(ctx, agent, wireOf(socket), touchEveryMs);
      connections.attach(session);

      let alive = true;
      const ping = setInterval(() => {
        if (!alive) {
          ctx.log.info({ agentId: agent.id }, 'site agent stopped answering pings; dropping its link');
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, pingEveryMs);
      socket.on('pong', () => {
        alive = true;
        session.heard();
      });
      socket.on('message', (data, isBinary) => {
        alive = true;
        session.heard();
        if (isBinary) return session.receive('');
        session.receive(String(data));
      });
      socket.on('close', (code) => {
        clearInterval(ping);
        connections.detach(session);
        session.close(code, '');
        ctx.log.info({ agentId: agent.id, code }, 'site agent disconnected');
      });
    },
  });
}

function wireOf(socket: WebSocket) {
  return {
    send(message: HubMessage) {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    },
    close(code: number, reason: string) {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
    },
  };
}
