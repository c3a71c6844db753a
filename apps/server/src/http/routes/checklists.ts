import {
  Bindings,
  BindingsRequest,
  ChecklistSchedule,
  ClientUpdate,
  CreatedShareLink,
  ErrorBody,
  PHOTO_MAX_BYTES,
  Id,
  IdParams,
  Ok,
  Run,
  RunListQuery,
  RunSummary,
  ScheduleRequest,
  SendClientUpdateRequest,
  ShareLinkList,
  ShareTokenParams,
  StartRunRequest,
  Template,
  TemplateListQuery,
  TemplateRequest,
  TemplateSummary,
  TemplateUpdate,
  TemplateYaml,
  TickRequest,
  TickResponse,
  UpdateDraft,
} from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { attachStepPhoto, readStepPhoto } from '../../domain/checklists/photos.js';
import { getBindings, saveBindings } from '../../domain/checklists/bindings.js';
import { getRun, listRuns } from '../../domain/checklists/run-queries.js';
import {
  draftRunReport,
  runReportLinks,
  sendRunReport,
  shareRunReport,
  sharedRunReport,
} from '../../domain/checklists/report.js';
import { finishRun, startRun, tickStep } from '../../domain/checklists/runs.js';
import { stepToIncident } from '../../domain/checklists/step-incident.js';
import { createSchedule, deleteSchedule, listSchedules, updateSchedule } from '../../domain/checklists/schedules.js';
import {
  archiveTemplate,
  createTemplate,
  getTemplate,
  listTemplates,
  updateTemplate,
} from '../../domain/checklists/templates.js';
import { templateFromYaml, templateToYaml } from '../../domain/checklists/yaml.js';
import { actorOf } from '../authenticate.js';
import { sendPhoto, withPhotoBodies } from '../photo-routes.js';
import { publicHubUrl } from '../public-url.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['checklists'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const Created = z.object({ id: z.string() });
const TemplateSiteParams = z.object({ id: Id, siteId: Id });
const StepParams = z.object({ id: Id, stepId: Id });

export async function checklistRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/checklists',
    {
      schema: {
        tags,
        summary: 'Checklist templates (with siteId: those that apply at that site)',
        querystring: TemplateListQuery,
        response: { 200: z.object({ items: z.array(TemplateSummary) }), ...errors },
      },
    },
    async (request) => ({ items: await listTemplates(ctx, actorOf(request), request.query.siteId) }),
  );

  app.post(
    '/api/checklists',
    {
      schema: {
        tags,
        summary: 'Create a checklist template: global, or of one site (siteId)',
        body: TemplateRequest,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send({ id: await createTemplate(ctx, actorOf(request), request.body) }),
  );

  app.post(
    '/api/checklists/import',
    {
      schema: {
        tags,
        summary: 'Create a checklist template from YAML (as exported)',
        body: TemplateYaml,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const parsed = templateFromYaml(request.body.yaml);
      const id = await createTemplate(ctx, actorOf(request), {
        ...parsed,
        ...(request.body.siteId ? { siteId: request.body.siteId } : {}),
      });
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/checklists/:id',
    { schema: { tags, summary: 'A checklist template', params: IdParams, response: { 200: Template, ...errors } } },
    async (request) => getTemplate(ctx, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/checklists/:id',
    {
      schema: {
        tags,
        summary: 'Change a checklist template (a new body is a new version)',
        params: IdParams,
        body: TemplateUpdate,
        response: { 200: Template, ...errors },
      },
    },
    async (request) => {
      await updateTemplate(ctx, actorOf(request), request.params.id, request.body);
      return getTemplate(ctx, actorOf(request), request.params.id);
    },
  );

  app.put(
    '/api/checklists/:id/yaml',
    {
      schema: {
        tags,
        summary: 'Replace a checklist template from YAML (a new version when the steps changed)',
        params: IdParams,
        body: z.strictObject({ yaml: TemplateYaml.shape.yaml }),
        response: { 200: Template, ...errors },
      },
    },
    async (request) => {
      const parsed = templateFromYaml(request.body.yaml);
      await updateTemplate(ctx, actorOf(request), request.params.id, parsed);
      return getTemplate(ctx, actorOf(request), request.params.id);
    },
  );

  app.delete(
    '/api/checklists/:id',
    {
      schema: {
        tags,
        summary: 'Archive a checklist template (its runs are kept; its schedules stop)',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await archiveTemplate(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/checklists/:id/yaml',
    {
      schema: {
        tags,
        summary: 'Export a checklist template as YAML (to keep in git)',
        params: IdParams,
        response: { 200: z.object({ name: z.string(), yaml: z.string() }), ...errors },
      },
    },
    async (request) => {
      const template = await getTemplate(ctx, actorOf(request), request.params.id);
      return { name: template.name, yaml: templateToYaml(template) };
    },
  );

  app.get(
    '/api/checklists/:id/sites/:siteId/bindings',
    {
      schema: {
        tags,
        summary: "What each step of a template means at a site (systems', checks' and heartbeats' ids)",
        params: TemplateSiteParams,
        response: { 200: Bindings, ...errors },
      },
    },
    async (request) => getBindings(ctx, actorOf(request), request.params.id, request.params.siteId),
  );

  app.put(
    '/api/checklists/:id/sites/:siteId/bindings',
    {
      schema: {
        tags,
        summary: 'Bind the steps of a template at a site (overrides the names in the steps)',
        params: TemplateSiteParams,
        body: BindingsRequest,
        response: { 200: Bindings, ...errors },
      },
    },
    async (request) => {
      const { id, siteId } = request.params;
      await saveBindings(ctx, actorOf(request), id, siteId, request.body.bindings);
      return getBindings(ctx, actorOf(request), id, siteId);
    },
  );

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

  app.post(
    '/api/checklist-runs/:id/report-draft',
    {
      schema: {
        tags,
        summary: "A checklist-report template filled in for the run's client: {checklist} and {result} from the run",
        params: IdParams,
        body: z.strictObject({ templateId: Id }),
        response: { 200: UpdateDraft, ...errors },
      },
    },
    async (request) => draftRunReport(ctx, actorOf(request), request.params.id, request.body.templateId),
  );

  app.post(
    '/api/checklist-runs/:id/updates',
    {
      schema: {
        tags,
        summary: "Send the run's report to the client's contacts as an update (e-mail or SMS as each prefers)",
        params: IdParams,
        body: SendClientUpdateRequest,
        response: { 201: ClientUpdate, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sendRunReport(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/checklist-runs/:id/report-links',
    {
      schema: {
        tags,
        summary: "A run's report links, newest first, without their secrets (staff)",
        params: IdParams,
        response: { 200: ShareLinkList, ...errors },
      },
    },
    async (request) => ({ items: await runReportLinks(ctx, actorOf(request), request.params.id) }),
  );

  app.post(
    '/api/checklist-runs/:id/report-links',
    {
      schema: {
        tags,
        summary:
          "A secret link to the run's report for someone without an account (staff); revoke it with DELETE /api/share-links/:id",
        params: IdParams,
        response: { 201: CreatedShareLink, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await shareRunReport(ctx, actorOf(request), request.params.id, publicHubUrl(ctx, request).url)),
  );

  app.get(
    '/api/public/checklist-reports/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The checklist report a shared link opens (no sign-in: the secret in the link is the credential)',
        params: ShareTokenParams,
        response: { 200: Run, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      // Not kept by caches or passed on as a referrer: the URL is the secret.
      reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex');
      return sharedRunReport(ctx, request.params.token);
    },
  );

  app.get(
    '/api/checklist-runs/:id/steps/:stepId/photo',
    { schema: { tags, summary: "A step's photo (only for those who may see the run)", params: StepParams } },
    async (request, reply) => {
      const photo = await readStepPhoto(ctx, actorOf(request), request.params.id, request.params.stepId);
      return sendPhoto(reply, photo);
    },
  );

  await withPhotoBodies(app, (scope) => {
    scope.post(
      '/api/checklist-runs/:id/steps/:stepId/photo',
      {
        schema: {
          tags,
          summary: `A photo for a step, replacing its earlier one (the body is the image: JPEG, PNG or WebP, at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB)`,
          params: StepParams,
          response: { 201: Created, 413: ErrorBody, 415: ErrorBody, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await attachStepPhoto(ctx, actorOf(request), request.params.id, request.params.stepId, request.body)),
    );
  });
}
