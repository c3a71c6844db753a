import {
  ChangeTaskRequest,
  ChangeTaskTemplateRequest,
  CreateTaskRequest,
  ErrorBody,
  IdParams,
  MyTasksQuery,
  Ok,
  Task,
  TaskList,
  TaskTemplate,
  TaskTemplateList,
  TaskTemplateRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { changeTask, createTask } from '../../domain/tasks/commands.js';
import { myTasks, overdueTasks } from '../../domain/tasks/queries.js';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from '../../domain/tasks/templates.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function taskRoutes(app: ZodApp, ctx: AppContext) {
  const tags = ['tasks'];
  app.post(
    '/api/incidents/:id/tasks',
    {
      schema: {
        tags,
        summary: 'Add a task to an incident: the assignee is told, and reminded at the due time',
        params: IdParams,
        body: CreateTaskRequest,
        response: { 201: Task, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTask(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/api/tasks/:id',
    {
      schema: {
        tags,
        summary: 'Change a task: status and outcome (done/blocked tells the "report to" colleague), assignee, due time',
        params: IdParams,
        body: ChangeTaskRequest,
        response: { 200: Task, ...errors },
      },
    },
    async (request) => changeTask(ctx, actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/api/tasks/mine',
    {
      schema: {
        tags,
        summary: 'My tasks across incidents, what is due next first',
        querystring: MyTasksQuery,
        response: { 200: TaskList, ...errors },
      },
    },
    async (request) => myTasks(ctx, actorOf(request), request.query.status),
  );
  app.get(
    '/api/tasks/overdue',
    {
      schema: { tags, summary: 'Overdue tasks of every incident (for Now)', response: { 200: TaskList, ...errors } },
    },
    async (request) => overdueTasks(ctx, actorOf(request)),
  );
  app.get(
    '/api/task-templates',
    { schema: { tags, summary: 'The firm’s task templates', response: { 200: TaskTemplateList, ...errors } } },
    async (request) => listTemplates(ctx, actorOf(request)),
  );
  app.post(
    '/api/task-templates',
    {
      schema: {
        tags,
        summary: 'Add a task template',
        body: TaskTemplateRequest,
        response: { 201: TaskTemplate, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createTemplate(ctx, actorOf(request), request.body)),
  );
  app.patch(
    '/api/task-templates/:id',
    {
      schema: {
        tags,
        summary: 'Change a task template',
        params: IdParams,
        body: ChangeTaskTemplateRequest,
        response: { 200: TaskTemplate, ...errors },
      },
    },
    async (request) => updateTemplate(ctx, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/task-templates/:id',
    {
      schema: { tags, summary: 'Delete a task template', params: IdParams, response: { 200: Ok, ...errors } },
    },
    async (request) => deleteTemplate(ctx, actorOf(request), request.params.id),
  );
}
