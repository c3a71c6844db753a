import { z } from 'zod';
import { Id, PlainText, Timestamp } from '../common.js';
import { OutboxStatus } from './notify.js';

// ---- Message templates ----------------------------------------------------

export const MessageTemplateKind = z.enum(['incident_update', 'checklist_report']);
export type MessageTemplateKind = z.infer<typeof MessageTemplateKind>;

/**
 * The placeholders each kind of template may use, written in braces: "{client}". They are filled in when a
 * draft is made, and the person sending edits the result before it goes.
 */
export const TEMPLATE_PLACEHOLDERS = {
  incident_update: ['client', 'site', 'incident', 'time', 'sender'],
  checklist_report: ['client', 'site', 'checklist', 'result', 'time', 'sender'],
} as const satisfies Record<MessageTemplateKind, readonly string[]>;

export const PLACEHOLDER_MEANINGS: Record<string, string> = {
  client: "the client's name",
  site: 'the site (or sites) concerned',
  incident: "the incident's title",
  checklist: "the checklist's name",
  result: "the checklist's outcome, one line per step that needs attention",
  time: "now, in the site's time zone",
  sender: 'the name of the person sending',
};

export const MessageTemplate = z.object({
  id: Id,
  kind: MessageTemplateKind,
  name: z.string(),
  subject: z.string(),
  body: z.string(),
  updatedAt: Timestamp,
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;
export const MessageTemplateList = z.object({
  items: z.array(MessageTemplate),
  /** The placeholders each kind may use, with what each is filled with (for the editor's hint). */
  placeholders: z.record(MessageTemplateKind, z.array(z.object({ name: z.string(), meaning: z.string() }))),
});

const TemplateName = PlainText().trim().min(1, { error: 'is required' }).max(100);
const TemplateSubject = PlainText()
  .trim()
  .min(1, { error: 'is required' })
  .max(200)
  .regex(/^[^\r\n]*$/, { error: 'must be one line' });
const TemplateBody = PlainText().trim().min(1, { error: 'is required' }).max(4000);

export const CreateMessageTemplateRequest = z.strictObject({
  kind: MessageTemplateKind,
  name: TemplateName,
  subject: TemplateSubject,
  body: TemplateBody,
});
export type CreateMessageTemplateRequest = z.infer<typeof CreateMessageTemplateRequest>;

export const UpdateMessageTemplateRequest = z.strictObject({
  name: TemplateName.optional(),
  subject: TemplateSubject.optional(),
  body: TemplateBody.optional(),
});
export type UpdateMessageTemplateRequest = z.infer<typeof UpdateMessageTemplateRequest>;

export const MessageTemplateQuery = z.object({ kind: MessageTemplateKind.optional() });

// ---- Client updates -------------------------------------------------------

export const UpdateChannel = z.enum(['email', 'sms']);
export type UpdateChannel = z.infer<typeof UpdateChannel>;

/** Who an update goes to, by which channel; `skipped` says why nothing could be sent to them. */
export const UpdateRecipient = z.object({
  contactId: Id.nullable(),
  name: z.string(),
  channel: UpdateChannel.nullable(),
  to: z.string().nullable(),
  skipped: z.string().nullable(),
});
export type UpdateRecipient = z.infer<typeof UpdateRecipient>;

export const RecipientDelivery = UpdateRecipient.extend({
  /** The outbox's state of this recipient's message; null when skipped. */
  status: OutboxStatus.nullable(),
  error: z.string().nullable(),
  sentAt: Timestamp.nullable(),
});
export type RecipientDelivery = z.infer<typeof RecipientDelivery>;

export const ClientUpdate = z.object({
  id: Id,
  clientId: Id,
  incidentId: Id.nullable(),
  checklistRunId: Id.nullable(),
  subject: z.string(),
  body: z.string(),
  sentAt: Timestamp,
  sentBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  recipients: z.array(RecipientDelivery),
});
export type ClientUpdate = z.infer<typeof ClientUpdate>;
export const ClientUpdateList = z.object({ items: z.array(ClientUpdate) });

export const ClientUpdateQuery = z
  .object({ clientId: Id.optional(), incidentId: Id.optional(), checklistRunId: Id.optional() })
  .refine((q) => q.clientId ?? q.incidentId ?? q.checklistRunId, {
    error: 'name a clientId, incidentId or checklistRunId',
    path: ['clientId'],
  });

export const UpdateDraftRequest = z.strictObject({
  templateId: Id,
  /** The client the update is for; with an incident or a checklist run it may be left out. */
  clientId: Id.optional(),
  incidentId: Id.optional(),
});

/** A template filled in for one client (and incident), and who it would go to; the sender edits it. */
export const UpdateDraft = z.object({
  subject: z.string(),
  body: z.string(),
  recipients: z.array(UpdateRecipient),
});
export type UpdateDraft = z.infer<typeof UpdateDraft>;

export const SendClientUpdateRequest = z.strictObject({
  subject: TemplateSubject,
  body: TemplateBody,
  /** Only these contacts of the client; when left out, every contact who receives incident updates. */
  contactIds: z.array(Id).min(1, { error: 'must name at least one contact' }).max(100).optional(),
});
export type SendClientUpdateRequest = z.infer<typeof SendClientUpdateRequest>;

// ---- Share links ----------------------------------------------------------

export const ShareSubjectType = z.enum(['incident_report', 'checklist_report']);
export type ShareSubjectType = z.infer<typeof ShareSubjectType>;

export const ShareLink = z.object({
  id: Id,
  subjectType: ShareSubjectType,
  subjectId: Id,
  createdAt: Timestamp,
  createdBy: z.string().nullable(),
  revokedAt: Timestamp.nullable(),
  lastOpenedAt: Timestamp.nullable(),
  /** The link stops working after this; null: until revoked. */
  expiresAt: Timestamp.nullable(),
});
export type ShareLink = z.infer<typeof ShareLink>;

/** How long a new report link works unless the person making it chooses otherwise. */
export const SHARE_LINK_DEFAULT_DAYS = 30;

/** A new report link: it works this many days (1–365), or until revoked (null). Without a body: 30 days. */
export const ShareLinkRequest = z
  .strictObject({
    expiresInDays: z
      .number({ error: 'must be a number of days, or null for never' })
      .int({ error: 'must be whole days' })
      .min(1, { error: 'must be 1 to 365 days, or null for never' })
      .max(365, { error: 'must be 1 to 365 days, or null for never' })
      .nullable()
      .default(SHARE_LINK_DEFAULT_DAYS),
  })
  .nullish();
export type ShareLinkRequest = z.infer<typeof ShareLinkRequest>;
export const ShareLinkList = z.object({ items: z.array(ShareLink) });

/** A new link: the URL carries the secret, shown this once (only its hash is kept). */
export const CreatedShareLink = ShareLink.extend({ url: z.string() });
export type CreatedShareLink = z.infer<typeof CreatedShareLink>;

export const ShareTokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { error: 'is not a report link' }),
});
