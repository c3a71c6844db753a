import {
  Id,
  IdParams,
  Run,
  RunListQuery,
  RunSummary,
  StartRunRequest,
  TickRequest,
  TickResponse,
} from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { getRun, listRuns } from '../../../domain/checklists/run-queries.js';
import { finishRun, startRun, tickStep } from '../../../domain/checklists/runs.js';
import { stepToIncident } from '../../../domain/checklists/step-incident.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../zod-app.js';
import { StepParams, errors, tags } from './schema.js';

export async function checklistRunRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/checklist-runs',
    {
      schema: {
        tags,
        summary: 'Checklist runs, newest first',
        querystring: RunListQuery,
        response: { 200: z.object({ items: z.array(RunSummary) }), ...errors },
      },
    },
    async (request) => ({ items: await listRuns(ctx, actorOf(request), request.query) }),
  );

  app.post(
    '/api/checklist-runs',
    {
      schema: {
        tags,
        summary: 'Start a checklist at a site: its automatic steps run at once, in parallel, and fill in live',
        body: StartRunRequest,
        response: { 201: Run, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { runId, automatic } = await startRun(ctx, actor, request.body);
      automatic.catch((error: unknown) => ctx.log.error({ err: error, runId }, 'checklist automatic steps failed'));
      return reply.status(201).send(await getRun(ctx, actor, runId));
    },
  );

  app.get(
    '/api/checklist-runs/:id',
    {
      schema: {
        tags,
        summary: 'A checklist run with every step: result, who, when (also the report)',
        params: IdParams,
        response: { 200: Run, ...errors },
      },
    },
    async (request) => getRun(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/checklist-runs/:id/steps/:stepId/tick',
    {
      schema: {
        tags,
        summary: 'Tick a step (done, failed, not done, or back to open) with a note; a resent tick is applied once',
        params: StepParams,
        body: TickRequest,
        response: { 200: TickResponse, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const applied = await tickStep(ctx, actor, request.params.id, request.params.stepId, request.body);
      return { applied, run: await getRun(ctx, actor, request.params.id) };
    },
  );

  app.post(
    '/api/checklist-runs/:id/finish',
    {
      schema: {
        tags,
        summary: 'Finish a run: passed, passed with notes, or failed (steps left open count as not done)',
        params: IdParams,
        response: { 200: Run, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await finishRun(ctx, actor, request.params.id);
      return getRun(ctx, actor, request.params.id);
    },
  );
  app.post(
    '/api/checklist-runs/:id/steps/:stepId/incident',
    {
      schema: {
        tags,
        summary:
          "A failed step joins the run's or the site's open incident, or opens one (acknowledged by whoever taps)",
        params: StepParams,
        response: {
          200: z.object({ incidentId: Id, number: z.number().int(), opened: z.boolean() }),
          ...errors,
        },
      },
    },
    async (request) => stepToIncident(ctx, actorOf(request), request.params.id, request.params.stepId),
  );
}
