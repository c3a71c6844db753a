import {
  Bindings,
  BindingsRequest,
  Id,
  IdParams,
  Ok,
  Template,
  TemplateListQuery,
  TemplateRequest,
  TemplateSummary,
  TemplateUpdate,
  TemplateYaml,
} from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { getBindings, saveBindings } from '../../../domain/checklists/bindings.js';
import {
  archiveTemplate,
  createTemplate,
  getTemplate,
  listTemplates,
  updateTemplate,
} from '../../../domain/checklists/templates.js';
import { templateFromYaml, templateToYaml } from '../../../domain/checklists/yaml.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../zod-app.js';
import { Created, errors, tags } from './schema.js';

const TemplateSiteParams = z.object({ id: Id, siteId: Id });

export async function checklistTemplateRoutes(app: ZodApp, ctx: AppContext) {
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
}
