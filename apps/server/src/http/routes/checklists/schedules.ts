import { ChecklistSchedule, IdParams, Ok, ScheduleRequest, TemplateListQuery } from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { createSchedule, deleteSchedule, listSchedules, updateSchedule } from '../../../domain/checklists/schedules.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../zod-app.js';
import { Created, errors, tags } from './schema.js';

export async function checklistScheduleRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/checklist-schedules',
    {
      schema: {
        tags,
        summary: 'Scheduled checklist runs (cron in the site time zone)',
        querystring: TemplateListQuery,
        response: { 200: z.object({ items: z.array(ChecklistSchedule) }), ...errors },
      },
    },
    async (request) => ({ items: await listSchedules(ctx, actorOf(request), request.query.siteId) }),
  );

  app.post(
    '/api/checklist-schedules',
    {
      schema: {
        tags,
        summary: 'Run a checklist at a site by itself, e.g. "0 6 * * mon" for Monday 06:00 site time',
        body: ScheduleRequest,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send({ id: await createSchedule(ctx, actorOf(request), request.body) }),
  );

  app.put(
    '/api/checklist-schedules/:id',
    {
      schema: {
        tags,
        summary: 'Change a checklist schedule',
        params: IdParams,
        body: ScheduleRequest,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await updateSchedule(ctx, actorOf(request), request.params.id, request.body);
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/checklist-schedules/:id',
    {
      schema: { tags, summary: 'Remove a checklist schedule', params: IdParams, response: { 200: Ok, ...errors } },
    },
    async (request) => {
      await deleteSchedule(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
