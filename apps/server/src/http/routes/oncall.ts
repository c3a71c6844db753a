import {
  CreateLayerRequest,
  CreateOverrideRequest,
  CreateScheduleRequest,
  CreateTeamRequest,
  ErrorBody,
  IdParams,
  Ok,
  Override,
  OverrideList,
  OverrideRangeQuery,
  OnCallSchedule,
  OnCallScheduleList,
  Team,
  TeamList,
  UpdateLayerRequest,
  UpdateScheduleRequest,
  UpdateTeamRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { createOverride, deleteOverride, listOverrides } from '../../domain/oncall/overrides.js';
import {
  createLayer,
  createSchedule,
  deleteLayer,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateLayer,
  updateSchedule,
} from '../../domain/oncall/schedules.js';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from '../../domain/oncall/teams.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['on-call'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Teams, schedules, their layers and overrides (docs/oncall.md). */
export async function oncallRoutes(app: ZodApp, ctx: AppContext) {
  const db = ctx.db.kysely;

  app.get(
    '/api/teams',
    { schema: { tags, summary: 'Teams, by name', response: { 200: TeamList, ...errors } } },
    async (request) => listTeams(db, actorOf(request)),
  );
  app.post(
    '/api/teams',
    { schema: { tags, summary: 'Make a team', body: CreateTeamRequest, response: { 201: Team, ...errors } } },
    async (request, reply) => reply.status(201).send(await createTeam(ctx, actorOf(request), request.body)),
  );
  app.get(
    '/api/teams/:id',
    { schema: { tags, summary: 'One team', params: IdParams, response: { 200: Team, ...errors } } },
    async (request) => getTeam(db, actorOf(request), request.params.id),
  );
  app.patch(
    '/api/teams/:id',
    {
      schema: {
        tags,
        summary: 'Rename a team or set its members (in order)',
        params: IdParams,
        body: UpdateTeamRequest,
        response: { 200: Team, ...errors },
      },
    },
    async (request) => updateTeam(ctx, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/teams/:id',
    { schema: { tags, summary: 'Delete a team', params: IdParams, response: { 200: Ok, ...errors } } },
    async (request) => {
      await deleteTeam(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/schedules',
    { schema: { tags, summary: 'Schedules with their layers', response: { 200: OnCallScheduleList, ...errors } } },
    async (request) => listSchedules(db, actorOf(request)),
  );
  app.post(
    '/api/schedules',
    {
      schema: {
        tags,
        summary: 'Make a schedule',
        body: CreateScheduleRequest,
        response: { 201: OnCallSchedule, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createSchedule(ctx, actorOf(request), request.body)),
  );
  app.get(
    '/api/schedules/:id',
    { schema: { tags, summary: 'One schedule', params: IdParams, response: { 200: OnCallSchedule, ...errors } } },
    async (request) => getSchedule(db, actorOf(request), request.params.id),
  );
  app.patch(
    '/api/schedules/:id',
    {
      schema: {
        tags,
        summary: 'Rename a schedule, change its time zone or team',
        params: IdParams,
        body: UpdateScheduleRequest,
        response: { 200: OnCallSchedule, ...errors },
      },
    },
    async (request) => updateSchedule(ctx, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/schedules/:id',
    {
      schema: {
        tags,
        summary: 'Delete a schedule with its layers and overrides',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await deleteSchedule(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/schedules/:id/layers',
    {
      schema: {
        tags,
        summary: 'Add a layer (a rotation, optionally limited to days and hours); answers the schedule',
        params: IdParams,
        body: CreateLayerRequest,
        response: { 201: OnCallSchedule, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createLayer(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/api/schedule-layers/:id',
    {
      schema: {
        tags,
        summary: 'Change a layer; answers the schedule',
        params: IdParams,
        body: UpdateLayerRequest,
        response: { 200: OnCallSchedule, ...errors },
      },
    },
    async (request) => updateLayer(ctx, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/schedule-layers/:id',
    {
      schema: {
        tags,
        summary: 'Delete a layer; answers the schedule',
        params: IdParams,
        response: { 200: OnCallSchedule, ...errors },
      },
    },
    async (request) => deleteLayer(ctx, actorOf(request), request.params.id),
  );

  app.get(
    '/api/schedules/:id/overrides',
    {
      schema: {
        tags,
        summary: 'Overrides overlapping a period (default: the coming four weeks)',
        params: IdParams,
        querystring: OverrideRangeQuery,
        response: { 200: OverrideList, ...errors },
      },
    },
    async (request) => listOverrides(db, actorOf(request), request.params.id, request.query, ctx.clock.now()),
  );
  app.post(
    '/api/schedules/:id/overrides',
    {
      schema: {
        tags,
        summary: 'Put someone on call for a period (technicians: only themselves)',
        params: IdParams,
        body: CreateOverrideRequest,
        response: { 201: Override, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createOverride(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/schedule-overrides/:id',
    { schema: { tags, summary: 'Remove an override', params: IdParams, response: { 200: Ok, ...errors } } },
    async (request) => {
      await deleteOverride(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
