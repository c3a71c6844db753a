import {
  Check,
  CheckList,
  CheckListQuery,
  CheckResultList,
  CheckResultsQuery,
  CheckHistory,
  CheckHistoryQuery,
  CreateCheckRequest,
  ErrorBody,
  IdParams,
  Ok,
  RunCheckResponse,
  StateChangeLimitQuery,
  StateChangeList,
  UpdateCheckRequest,
  Uptime,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { createCheck, deleteCheck, updateCheck } from '../../domain/monitoring/check-commands.js';
import { getCheck, listChecks, visibleCheck } from '../../domain/monitoring/check-queries.js';
import { checkResults, stateChanges } from '../../domain/monitoring/history-queries.js';
import { runCheckNow } from '../../domain/monitoring/run-now.js';
import { checkUptime } from '../../domain/monitoring/uptime.js';
import { checkHistory } from '../../domain/monitoring/check-history.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['checks'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function checkRoutes(app: ZodApp, ctx: AppContext) {
  const db = () => ctx.db.kysely;

  app.get(
    '/api/checks',
    {
      schema: {
        tags,
        summary: 'List checks, filtered by system, site, client or state',
        querystring: CheckListQuery,
        response: { 200: CheckList, ...errors },
      },
    },
    async (request) => listChecks(ctx, actorOf(request), request.query),
  );

  app.post(
    '/api/checks',
    {
      schema: {
        tags,
        summary: 'Add a check to a system; its settings are validated by its kind (errors as params.<field>)',
        body: CreateCheckRequest,
        response: { 201: Check, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createCheck(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/api/checks/:id',
    {
      schema: {
        tags,
        summary: 'One check, with its state, last result and next run; secrets read "***"',
        params: IdParams,
        response: { 200: Check, ...errors },
      },
    },
    async (request) => getCheck(ctx, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/checks/:id',
    {
      schema: {
        tags,
        summary: 'Change a check; `paused` pauses or resumes it; a secret sent as "***" is kept',
        params: IdParams,
        body: UpdateCheckRequest,
        response: { 200: Check, ...errors },
      },
    },
    async (request) => updateCheck(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/checks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a check with its results and roll-ups',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await deleteCheck(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/checks/:id/run',
    {
      schema: {
        tags,
        summary: 'Run a check now (on the hub, or asked of its site agent) and answer with the result',
        params: IdParams,
        response: { 200: RunCheckResponse, ...errors },
      },
    },
    async (request) => runCheckNow(ctx, actorOf(request), request.params.id),
  );

  app.get(
    '/api/checks/:id/results',
    {
      schema: {
        tags,
        summary: 'A check’s raw results, newest first (kept 7 days by default)',
        params: IdParams,
        querystring: CheckResultsQuery,
        response: { 200: CheckResultList, ...errors },
      },
    },
    async (request) => {
      await visibleCheck(db(), actorOf(request), request.params.id);
      return { items: await checkResults(db(), request.params.id, request.query) };
    },
  );

  app.get(
    '/api/checks/:id/uptime',
    {
      schema: {
        tags,
        summary: 'Uptime and latency of a check for 24 hours, 7 and 30 days, and the last 48 hours by hour',
        params: IdParams,
        response: { 200: Uptime, ...errors },
      },
    },
    async (request) => {
      await visibleCheck(db(), actorOf(request), request.params.id);
      return checkUptime(db(), request.params.id, ctx.clock.now());
    },
  );

  app.get(
    '/api/checks/:id/history',
    {
      schema: {
        tags,
        summary:
          'A check’s uptime and latency over 1, 7, 30 or 90 days or a year, in steps of 1 minute to a day, for a chart',
        params: IdParams,
        querystring: CheckHistoryQuery,
        response: { 200: CheckHistory, ...errors },
      },
    },
    async (request) => {
      await visibleCheck(db(), actorOf(request), request.params.id);
      return checkHistory(db(), request.params.id, request.query, ctx.clock.now());
    },
  );

  app.get(
    '/api/checks/:id/state-changes',
    {
      schema: {
        tags,
        summary: 'A check’s changes of state, newest first, with their reasons and causes',
        params: IdParams,
        querystring: StateChangeLimitQuery,
        response: { 200: StateChangeList, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await visibleCheck(db(), actor, request.params.id);
      return { items: await stateChanges(db(), actor, { checkId: request.params.id, limit: request.query.limit }) };
    },
  );
}
