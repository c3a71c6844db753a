import { z } from 'zod';
import {
  AffectedRequest,
  CallRequest,
  ChangeIncidentRequest,
  ChangeStatusRequest,
  ErrorBody,
  IdParams,
  IncidentDetail,
  IncidentList,
  IncidentListQuery,
  NoteRequest,
  OpenIncidentRequest,
  PHOTO_MAX_BYTES,
  PhotoParams,
  PhotoQuery,
  TimelineEntry,
  TimelinePage,
  TimelinePageQuery,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { acknowledgeIncident, addNote, changeIncident, logCall, setAffected } from '../../domain/incidents/commands.js';
import { openIncident } from '../../domain/incidents/open.js';
import { addPhoto, readPhoto } from '../../domain/incidents/photos.js';
import { incidentDetail, listIncidents, timelinePage } from '../../domain/incidents/queries.js';
import { changeStatus } from '../../domain/incidents/status.js';
import { actorOf } from '../authenticate.js';
import { sendPhoto, withPhotoBodies } from '../photo-routes.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function incidentRoutes(app: ZodApp, ctx: AppContext) {
  const tags = ['incidents'];
  app.get(
    '/api/incidents',
    {
      schema: {
        tags,
        summary: 'Incidents: open first, then the most recent (client accounts: their firm only)',
        querystring: IncidentListQuery,
        response: { 200: IncidentList, ...errors },
      },
    },
    async (request) => listIncidents(ctx, actorOf(request), request.query),
  );
  app.post(
    '/api/incidents',
    {
      schema: {
        tags,
        summary: 'Open an incident (from a call, by hand, or promoting an alert); pages through the client’s policy',
        body: OpenIncidentRequest,
        response: { 201: IncidentDetail, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await openIncident(ctx, actorOf(request), request.body)),
  );
  app.get(
    '/api/incidents/:id',
    {
      schema: {
        tags,
        summary: 'One incident: status, response times, affected systems (live), tasks and timeline',
        params: IdParams,
        response: { 200: IncidentDetail, ...errors },
      },
    },
    async (request) => incidentDetail(ctx, actorOf(request), request.params.id),
  );
  app.get(
    '/api/incidents/:id/timeline',
    {
      schema: {
        tags,
        summary: 'Older timeline lines, 200 at a time, before the line `before` (oldest first)',
        params: IdParams,
        querystring: TimelinePageQuery,
        response: { 200: TimelinePage, ...errors },
      },
    },
    async (request) => timelinePage(ctx, actorOf(request), request.params.id, request.query.before),
  );
  app.patch(
    '/api/incidents/:id',
    {
      schema: {
        tags,
        summary: 'Change title, severity or owner',
        params: IdParams,
        body: ChangeIncidentRequest,
        response: { 200: IncidentDetail, ...errors },
      },
    },
    async (request) => changeIncident(ctx, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/incidents/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'Acknowledge: paging stops, the others who were paged are told',
        params: IdParams,
        response: { 200: IncidentDetail, ...errors },
      },
    },
    async (request) => acknowledgeIncident(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/api/incidents/:id/status',
    {
      schema: {
        tags,
        summary: 'Change the status (a refused change answers 409 saying why)',
        params: IdParams,
        body: ChangeStatusRequest,
        response: { 200: IncidentDetail, ...errors },
      },
    },
    async (request) => changeStatus(ctx, actorOf(request), request.params.id, request.body),
  );
  app.put(
    '/api/incidents/:id/affected',
    {
      schema: {
        tags,
        summary: 'Set the affected sites and systems',
        params: IdParams,
        body: AffectedRequest,
        response: { 200: IncidentDetail, ...errors },
      },
    },
    async (request) => setAffected(ctx, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/incidents/:id/notes',
    {
      schema: {
        tags,
        summary: 'A note in one line (answers the new timeline line)',
        params: IdParams,
        body: NoteRequest,
        response: { 201: TimelineEntry, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addNote(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.post(
    '/api/incidents/:id/calls',
    {
      schema: {
        tags,
        summary: 'Log a call (who called, when, what they said; answers the new timeline line)',
        params: IdParams,
        body: CallRequest,
        response: { 201: TimelineEntry, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await logCall(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/api/incidents/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'A photo on the timeline (only for those who may see the incident)',
        params: PhotoParams,
      },
    },
    async (request, reply) => {
      const photo = await readPhoto(ctx, actorOf(request), request.params.id, request.params.photoId);
      return sendPhoto(reply, photo);
    },
  );

  await withPhotoBodies(app, (scope) => {
    scope.post(
      '/api/incidents/:id/photos',
      {
        schema: {
          tags,
          summary: `Attach a photo to a note (the body is the image: JPEG, PNG or WebP, at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB)`,
          params: IdParams,
          querystring: PhotoQuery,
          response: {
            201: z.object({ id: z.string(), timelineEntryId: z.string() }),
            413: ErrorBody,
            415: ErrorBody,
            ...errors,
          },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await addPhoto(
              ctx,
              actorOf(request),
              request.params.id,
              request.body,
              request.query.note,
              request.query.internal === 'true',
            ),
          ),
    );
  });
}
