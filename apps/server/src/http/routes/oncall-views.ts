import {
  Calendar,
  CalendarQuery,
  ErrorBody,
  IcalFeedUrl,
  IdParams,
  MyShifts,
  MyShiftsQuery,
  OnCallNow,
  Person,
} from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { feedFor, feedUrl, rotatePersonalFeed, rotateScheduleFeed } from '../../domain/oncall/ical.js';
import { onCallPeople } from '../../domain/oncall/people.js';
import { assertCanSeeOnCall } from '../../domain/oncall/policy.js';
import { myShifts, onCallNow, scheduleCalendar } from '../../domain/oncall/views.js';
import { actorOf } from '../authenticate.js';
import { notFound } from '../errors.js';
import { publicHubUrl } from '../public-url.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['on-call'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Who is on call, my shifts, the calendar, and the iCal feeds (docs/oncall.md). */
export async function oncallViewRoutes(app: ZodApp, ctx: AppContext) {
  const db = ctx.db.kysely;

  app.get(
    '/api/oncall',
    {
      schema: {
        tags,
        summary: 'Per schedule: who is on call now, who is next, and the gaps of the coming week',
        response: { 200: OnCallNow, ...errors },
      },
    },
    async (request) => onCallNow(db, actorOf(request), ctx.clock.now()),
  );
  app.get(
    '/api/oncall/my-shifts',
    {
      schema: {
        tags,
        summary: 'Your own shifts in every schedule (default: four weeks ahead)',
        querystring: MyShiftsQuery,
        response: { 200: MyShifts, ...errors },
      },
    },
    async (request) => myShifts(db, actorOf(request), ctx.clock.now(), request.query.days),
  );
  app.get(
    '/api/oncall/people',
    {
      schema: {
        tags,
        summary: 'Staff who can be put on call',
        response: { 200: z.object({ items: z.array(Person) }), ...errors },
      },
    },
    async (request) => {
      assertCanSeeOnCall(actorOf(request));
      return { items: await onCallPeople(db) };
    },
  );
  app.get(
    '/api/schedules/:id/calendar',
    {
      schema: {
        tags,
        summary: "A schedule's shifts per day in its time zone (default: four weeks from today), gaps marked",
        params: IdParams,
        querystring: CalendarQuery,
        response: { 200: Calendar, ...errors },
      },
    },
    async (request) =>
      scheduleCalendar(
        db,
        actorOf(request),
        request.params.id,
        ctx.clock.now(),
        request.query.from,
        request.query.days,
      ),
  );

  app.post(
    '/api/schedules/:id/ical',
    {
      schema: {
        tags,
        summary: 'Make a new secret iCal URL for a schedule (shown once; the old one stops working)',
        params: IdParams,
        response: { 200: IcalFeedUrl, ...errors },
      },
    },
    async (request) => ({
      url: feedUrl(publicHubUrl(ctx, request).url, await rotateScheduleFeed(ctx, actorOf(request), request.params.id)),
    }),
  );
  app.post(
    '/api/oncall/my-ical',
    {
      schema: {
        tags,
        summary: 'Make a new secret iCal URL of your own shifts (shown once; the old one stops working)',
        response: { 200: IcalFeedUrl, ...errors },
      },
    },
    async (request) => ({
      url: feedUrl(publicHubUrl(ctx, request).url, await rotatePersonalFeed(ctx, actorOf(request))),
    }),
  );

  app.get(
    '/ical/:file',
    {
      config: { public: true, anonymous: true },
      schema: {
        tags,
        summary: 'An iCal feed, by the secret in its URL',
        params: z.object({
          file: z
            .string()
            .max(200)
            .regex(/^[A-Za-z0-9_-]+\.ics$/, { error: 'is not a feed' }),
        }),
      },
    },
    async (request, reply) => {
      const body = await feedFor(db, request.params.file.replace(/\.ics$/, ''), ctx.clock.now());
      if (body === null) throw notFound('The feed');
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(body);
    },
  );
}
