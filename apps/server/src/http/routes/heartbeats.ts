import {
  ClientBackups,
  CreateHeartbeatRequest,
  ErrorBody,
  Heartbeat,
  HeartbeatHistory,
  HeartbeatHistoryQuery,
  HeartbeatList,
  HeartbeatListQuery,
  HeartbeatSummary,
  IdParams,
  LastNight,
  Ok,
  PingKey,
  PingKeyRequest,
  UpdateHeartbeatRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { clientBackups, heartbeatSummary, lastNight } from '../../domain/heartbeats/backups.js';
import { createHeartbeat, deleteHeartbeat, updateHeartbeat } from '../../domain/heartbeats/commands.js';
import { getPingKey, savePingKey } from '../../domain/heartbeats/ping-keys.js';
import { getHeartbeat, heartbeatHistory, listHeartbeats, visibleHeartbeat } from '../../domain/heartbeats/queries.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['heartbeats'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function heartbeatRoutes(app: ZodApp, ctx: AppContext) {
  const db = () => ctx.db.kysely;

  app.get(
    '/api/heartbeats',
    {
      schema: {
        tags,
        summary: 'List heartbeats by name, filtered by client, site, system or status',
        querystring: HeartbeatListQuery,
        response: { 200: HeartbeatList, ...errors },
      },
    },
    async (request) => listHeartbeats(ctx, actorOf(request), request.query),
  );

  app.post(
    '/api/heartbeats',
    {
      schema: {
        tags,
        summary:
          'Add a heartbeat to a system (usually a backup job): schedule, slug, keywords, body limit, e-mail reports',
        body: CreateHeartbeatRequest,
        response: { 201: Heartbeat, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createHeartbeat(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/api/heartbeats/summary',
    {
      schema: {
        tags,
        summary: 'Counts of heartbeats by status for the Now screen: failed (down) and late',
        response: { 200: HeartbeatSummary, ...errors },
      },
    },
    async (request) => heartbeatSummary(db(), actorOf(request)),
  );

  app.get(
    '/api/heartbeats/:id',
    {
      schema: {
        tags,
        summary: 'One heartbeat with its state, last result, deadlines and ping URLs',
        params: IdParams,
        response: { 200: Heartbeat, ...errors },
      },
    },
    async (request) => getHeartbeat(ctx, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/heartbeats/:id',
    {
      schema: {
        tags,
        summary: 'Change a heartbeat; `paused` pauses or resumes it; a new schedule moves its deadlines at once',
        params: IdParams,
        body: UpdateHeartbeatRequest,
        response: { 200: Heartbeat, ...errors },
      },
    },
    async (request) => updateHeartbeat(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/heartbeats/:id',
    {
      schema: {
        tags,
        summary: 'Delete a heartbeat with its pings (its state changes stay)',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await deleteHeartbeat(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/heartbeats/:id/history',
    {
      schema: {
        tags,
        summary: 'Pings and e-mails of a heartbeat, newest first, with their bodies',
        params: IdParams,
        querystring: HeartbeatHistoryQuery,
        response: { 200: HeartbeatHistory, ...errors },
      },
    },
    async (request) => {
      await visibleHeartbeat(db(), actorOf(request), request.params.id);
      return heartbeatHistory(db(), request.params.id, request.query);
    },
  );

  app.get(
    '/api/clients/:id/ping-key',
    {
      schema: {
        tags,
        summary: 'The client’s ping key for slug URLs (/ping/<key>/<slug>); null until made',
        params: IdParams,
        response: { 200: PingKey, ...errors },
      },
    },
    async (request) => getPingKey(db(), actorOf(request), request.params.id),
  );

  app.post(
    '/api/clients/:id/ping-key',
    {
      schema: {
        tags,
        summary: 'Make the client’s ping key, or a new one with `rotate`; `autoCreateSystemId` allows ?create=1',
        params: IdParams,
        body: PingKeyRequest,
        response: { 200: PingKey, ...errors },
      },
    },
    async (request) => savePingKey(ctx, actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/clients/:id/backups',
    {
      schema: {
        tags: ['backups'],
        summary:
          'The Backups screen for a client: each job’s last result, last success, typical run time, and 30 days in the site’s time zone',
        params: IdParams,
        response: { 200: ClientBackups, ...errors },
      },
    },
    async (request) => clientBackups(db(), actorOf(request), request.params.id, ctx.clock.now()),
  );

  app.get(
    '/api/backups/last-night',
    {
      schema: {
        tags: ['backups'],
        summary:
          'Across all clients: backups that did not succeed last night (18:00–12:00 in each site’s time zone), each with a line to send the client',
        response: { 200: LastNight, ...errors },
      },
    },
    async (request) => lastNight(db(), actorOf(request), ctx.clock.now()),
  );
}
