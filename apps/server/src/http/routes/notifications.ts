import {
  ContactMethod,
  CreateContactMethodRequest,
  CreateNotificationRuleRequest,
  DeliveryLog,
  DeliveryLogQuery,
  ErrorBody,
  HubChannelSettingsView,
  HubSmtpSettings,
  HubTwilioSettings,
  IdParams,
  NotificationRule,
  NotificationSettings,
  Ok,
  QuietHours,
  SendTestResult,
  VerifyContactMethodRequest,
} from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { addContactMethod, removeContactMethod, sendTest } from '../../domain/notify/contact-methods.js';
import { notificationSettings } from '../../domain/notify/personal-settings.js';
import { setQuietHours } from '../../domain/notify/quiet-hours.js';
import { addRule, removeRule } from '../../domain/notify/rules.js';
import { verifyContactMethod } from '../../domain/notify/verification.js';
import { assertCanSeeDeliveries, deliveryLog } from '../../domain/notify/delivery-queries.js';
import { loadHubChannels } from '../../domain/notify/hub-channels.js';
import { hubChannelSettings, setHubSmtp, setHubTwilio } from '../../domain/notify/hub-settings.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['notifications'];

/** Your contact methods, rules, quiet hours and delivery log; the hub's outgoing channels (owners and admins). */
export async function notificationRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/me/notifications',
    {
      schema: {
        tags,
        summary: 'Your contact methods, rules and quiet hours, and which channels the hub can send through',
        response: { 200: NotificationSettings, ...errors },
      },
    },
    async (request) => notificationSettings(ctx, actorOf(request)),
  );

  app.post(
    '/api/me/contact-methods',
    {
      schema: {
        tags,
        summary: 'Add a contact method; it gets a message with a code that verifies it',
        body: CreateContactMethodRequest,
        response: { 201: ContactMethod, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await addContactMethod(ctx, actorOf(request), request.body)),
  );

  app.post(
    '/api/me/contact-methods/:id/verify',
    {
      schema: {
        tags,
        summary: 'Verify a contact method with the code its message carried',
        params: IdParams,
        body: VerifyContactMethodRequest,
        response: { 200: ContactMethod, ...errors },
      },
    },
    async (request) => verifyContactMethod(ctx, actorOf(request), request.params.id, request.body.code),
  );

  app.post(
    '/api/me/contact-methods/:id/test',
    {
      schema: {
        tags,
        summary: 'Send me a test through this method now (a new code, if it is not verified yet)',
        params: IdParams,
        response: { 202: SendTestResult, ...errors },
      },
    },
    async (request, reply) => reply.status(202).send(await sendTest(ctx, actorOf(request), request.params.id)),
  );

  app.delete(
    '/api/me/contact-methods/:id',
    {
      schema: { tags, summary: 'Remove a contact method', params: IdParams, response: { 200: Ok, ...errors } },
    },
    async (request) => removeContactMethod(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/me/notification-rules',
    {
      schema: {
        tags,
        summary: 'Add a rule: reach me on this method this many minutes into a page (or a low-urgency message)',
        body: CreateNotificationRuleRequest,
        response: { 201: NotificationRule, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await addRule(ctx, actorOf(request), request.body)),
  );

  app.delete(
    '/api/me/notification-rules/:id',
    { schema: { tags, summary: 'Remove a rule', params: IdParams, response: { 200: Ok, ...errors } } },
    async (request) => removeRule(ctx, actorOf(request), request.params.id),
  );

  app.put(
    '/api/me/quiet-hours',
    {
      schema: {
        tags,
        summary: 'Quiet hours: low-urgency messages wait until they end; pages never do',
        body: QuietHours.strict(),
        response: { 200: QuietHours, ...errors },
      },
    },
    async (request) => setQuietHours(ctx, actorOf(request), request.body),
  );

  app.get(
    '/api/me/deliveries',
    {
      schema: {
        tags,
        summary: 'The messages sent to you, newest first, with every attempt',
        querystring: DeliveryLogQuery.pick({ limit: true }),
        response: { 200: DeliveryLog, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!actor.userId) return { items: [] };
      return { items: await deliveryLog(ctx, { userId: actor.userId, limit: request.query.limit }) };
    },
  );

  app.get(
    '/api/deliveries',
    {
      schema: {
        tags,
        summary: "Messages about a subject (an alert's pages), with every attempt: staff only",
        querystring: DeliveryLogQuery,
        response: { 200: DeliveryLog, ...errors },
      },
    },
    async (request) => {
      assertCanSeeDeliveries(actorOf(request));
      return { items: await deliveryLog(ctx, request.query) };
    },
  );

  app.get(
    '/api/settings/channels',
    {
      schema: {
        tags,
        summary: "The hub's outgoing mail server and SMS/voice provider (owners and admins; secrets never shown)",
        response: { 200: HubChannelSettingsView, ...errors },
      },
    },
    async (request) => hubChannelSettings(ctx, actorOf(request)),
  );

  app.put(
    '/api/settings/channels/smtp',
    {
      schema: {
        tags,
        summary: 'Set the outgoing mail server (leave the password out to keep the stored one)',
        body: HubSmtpSettings,
        response: { 200: HubChannelSettingsView, ...errors },
      },
    },
    async (request) => setHubSmtp(ctx, actorOf(request), request.body),
  );

  app.put(
    '/api/settings/channels/sms-voice',
    {
      schema: {
        tags,
        summary: 'Set the Twilio-shaped SMS and voice provider (leave the auth token out to keep the stored one)',
        body: HubTwilioSettings,
        response: { 200: HubChannelSettingsView, ...errors },
      },
    },
    async (request) => setHubTwilio(ctx, actorOf(request), request.body),
  );

  app.delete(
    '/api/settings/channels/smtp',
    {
      schema: {
        tags,
        summary:
          'Remove the outgoing mail server: its settings and password are deleted; e-mail stops until one is set',
        response: { 200: HubChannelSettingsView, ...errors },
      },
    },
    async (request) => setHubSmtp(ctx, actorOf(request), null),
  );

  app.delete(
    '/api/settings/channels/sms-voice',
    {
      schema: {
        tags,
        summary: 'Remove the SMS and voice provider: its settings and auth token are deleted; SMS and calls stop',
        response: { 200: HubChannelSettingsView, ...errors },
      },
    },
    async (request) => setHubTwilio(ctx, actorOf(request), null),
  );

  app.get(
    '/api/notify/push-key',
    {
      schema: {
        tags,
        summary: "The hub's VAPID public key, for a phone to subscribe to push",
        response: { 200: z.object({ publicKey: z.string().nullable() }), ...errors },
      },
    },
    async () => ({ publicKey: (await loadHubChannels(ctx.db.kysely, ctx.secrets)).vapid?.publicKey ?? null }),
  );
}
