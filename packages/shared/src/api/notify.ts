import { z } from 'zod';
import { Id, PlainText, Timestamp, TimeZone } from '../common.js';

/** Every kind of notification channel; the hub's registry lists one definition per kind. */
export const ChannelKind = z.enum([
  'email',
  'push',
  'sms',
  'voice',
  'webhook',
  'slack',
  'teams',
  'discord',
  'telegram',
  'ntfy',
  'pushover',
]);
export type ChannelKind = z.infer<typeof ChannelKind>;

export const Urgency = z.enum(['high', 'low']);
export type Urgency = z.infer<typeof Urgency>;

export const NotifySubjectType = z.enum(['alert', 'task', 'incident', 'checklist_run', 'client_update', 'test']);
export type NotifySubjectType = z.infer<typeof NotifySubjectType>;

/**
 * What a notification says, written to read on a lock screen: the client and site, what is wrong,
 * since when, and one link (plus an acknowledge link where acknowledging makes sense).
 */
export const Message = z.object({
  title: z.string().min(1).max(300),
  body: z.string().max(4000),
  lines: z.array(z.string().max(500)).max(50).optional(),
  links: z.object({ open: z.string().max(2000).optional(), ack: z.string().max(2000).optional() }),
  client: z.string().max(200).optional(),
  site: z.string().max(200).optional(),
  since: Timestamp.optional(),
});
export type Message = z.infer<typeof Message>;

export const OutboxStatus = z.enum([
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'cancelled',
  'may_have_been_sent',
]);
export type OutboxStatus = z.infer<typeof OutboxStatus>;

export const ContactMethod = z.object({
  id: Id,
  kind: ChannelKind,
  label: z.string(),
  summary: z.string().describe('Where it goes, without secrets (an address, a masked number, a host)'),
  verified: z.boolean(),
  verifiedAt: Timestamp.nullable(),
  brokenAt: Timestamp.nullable(),
  brokenReason: z.string().nullable(),
  createdAt: Timestamp,
});
export type ContactMethod = z.infer<typeof ContactMethod>;

export const CreateContactMethodRequest = z.strictObject({
  kind: ChannelKind,
  label: PlainText().trim().min(1, { error: 'is required' }).max(100),
  settings: z.record(z.string(), z.unknown()).describe("The kind's settings (see docs/notifications.md)"),
});

export const VerifyContactMethodRequest = z.strictObject({
  code: z.string().regex(/^\d{6}$/, { error: 'must be the 6-digit code from the test message' }),
});

export const NotificationRule = z.object({
  id: Id,
  methodId: Id,
  delayMinutes: z.number().int(),
  urgency: Urgency,
});
export type NotificationRule = z.infer<typeof NotificationRule>;

export const CreateNotificationRuleRequest = z.strictObject({
  methodId: Id,
  delayMinutes: z.number().int().min(0).max(240),
  urgency: Urgency,
});

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time such as 22:00' });

export const QuietHours = z.object({
  start: ClockTime.nullable(),
  end: ClockTime.nullable(),
  timeZone: TimeZone,
});
export type QuietHours = z.infer<typeof QuietHours>;

export const NotificationSettings = z.object({
  methods: z.array(ContactMethod),
  rules: z.array(NotificationRule),
  quietHours: QuietHours,
  channels: z.array(z.object({ kind: ChannelKind, label: z.string(), available: z.boolean() })),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const DeliveryEvent = z.object({
  at: Timestamp,
  event: z.string(),
  attempt: z.number().int(),
  detail: z.string(),
  durationMs: z.number().nullable(),
});

export const DeliveryLogEntry = z.object({
  id: Id,
  kind: ChannelKind,
  methodLabel: z.string().nullable(),
  to: z.string().nullable().describe('The person, or the address of a client contact'),
  subjectType: z.string(),
  subjectId: z.string(),
  title: z.string(),
  status: OutboxStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  events: z.array(DeliveryEvent),
});
export type DeliveryLogEntry = z.infer<typeof DeliveryLogEntry>;
export const DeliveryLog = z.object({ items: z.array(DeliveryLogEntry) });

export const DeliveryLogQuery = z.object({
  subjectType: NotifySubjectType.optional(),
  subjectId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The hub's outgoing mail server and SMS/voice provider; passwords are write-only. */
export const HubSmtpSettings = z.strictObject({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  security: z.enum(['tls', 'starttls', 'none']),
  username: z.string().max(255).optional(),
  password: z.string().max(500).optional().describe('Write-only; leave out to keep the stored one'),
  from: z.string().trim().min(3).max(300).describe('Sender, e.g. "Afterhours <alerts@example.com>"'),
});
export const HubTwilioSettings = z.strictObject({
  baseUrl: z.url({ error: 'must be a URL such as https://api.twilio.com' }).default('https://api.twilio.com'),
  accountSid: z.string().trim().min(1).max(100),
  authToken: z.string().max(200).optional().describe('Write-only; leave out to keep the stored one'),
  from: z.string().regex(/^\+[1-9]\d{6,14}$/, { error: 'must be a number in E.164 form, e.g. +441632960000' }),
});
export const HubChannelSettingsView = z.object({
  smtp: HubSmtpSettings.omit({ password: true }).extend({ hasPassword: z.boolean() }).nullable(),
  twilio: HubTwilioSettings.omit({ authToken: true }).extend({ hasAuthToken: z.boolean() }).nullable(),
  pushPublicKey: z.string().nullable(),
});
export type HubChannelSettingsView = z.infer<typeof HubChannelSettingsView>;

export const SendTestResult = z.object({ outboxId: Id });
