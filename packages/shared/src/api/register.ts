import { z } from 'zod';
import { Id, ListQuery, Name, Notes, page, PlainText, Timestamp, TimeZone } from '../common.js';

// ---- Contract -------------------------------------------------------------

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be a time as HH:MM' });

export const SupportWindow = z
  .object({ day: Weekday, start: ClockTime, end: ClockTime })
  .refine((w) => w.start < w.end, { error: 'must end after it starts', path: ['end'] });

export const SupportHours = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('always') }).describe('24/7'),
  z.object({
    kind: z.literal('weekly'),
    timeZone: TimeZone,
    windows: z.array(SupportWindow).min(1, { error: 'needs at least one window' }).max(50),
  }),
]);
export type SupportHours = z.infer<typeof SupportHours>;

const LeastThatPages = z.enum(['low', 'normal', 'high', 'critical', 'none']);

/** The least critical system that pages, within and outside support hours (see alerts/rules.ts). */
export const PagingRulesSchema = z.object({ withinHours: LeastThatPages, outsideHours: LeastThatPages });

export const Contract = z.object({
  supportHours: SupportHours,
  responseTargetMinutes: z.number().int().min(1).max(10_080),
  /** Support minutes to resolve an incident; none: only time to acknowledge is a target. */
  resolveTargetMinutes: z.number().int().min(1).max(100_000).optional(),
  /** The escalation policy that pages for this client; none: the hub's default policy. */
  escalationPolicyId: Id.nullable().optional(),
  /** Which alerts page; none: critical at any hour, the rest within support hours. */
  paging: PagingRulesSchema.optional(),
});
export type Contract = z.infer<typeof Contract>;

export const DEFAULT_CONTRACT: Contract = { supportHours: { kind: 'always' }, responseTargetMinutes: 60 };

// ---- Clients --------------------------------------------------------------

export const Client = z.object({
  id: Id,
  name: z.string(),
  notes: z.string(),
  contract: Contract,
  archivedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  siteCount: z.number().int(),
  systemCount: z.number().int(),
});
export type Client = z.infer<typeof Client>;

export const CreateClientRequest = z.strictObject({
  name: Name,
  notes: Notes.default(''),
  contract: Contract.default(DEFAULT_CONTRACT),
});
export const UpdateClientRequest = z.strictObject({
  name: Name.optional(),
  notes: Notes.optional(),
  contract: Contract.optional(),
  archived: z.boolean().optional(),
});
export const ClientListQuery = ListQuery;
export const ClientList = page(Client);

// ---- Contacts -------------------------------------------------------------

export const PreferredChannel = z.enum(['email', 'sms', 'phone', 'none']);
const Phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^[+0-9 ()\-.]*$/, { error: 'may contain only digits, spaces, +, -, ( ) and .' });

export const Contact = z.object({
  id: Id,
  clientId: Id,
  name: z.string(),
  role: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  preferredChannel: PreferredChannel,
  receivesIncidentUpdates: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Contact = z.infer<typeof Contact>;

const ContactEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'must be an e-mail address' }));

export const CreateContactRequest = z.strictObject({
  name: Name,
  role: PlainText().trim().max(100).default(''),
  email: ContactEmail.nullable().default(null),
  phone: Phone.nullable().default(null),
  preferredChannel: PreferredChannel.default('email'),
  receivesIncidentUpdates: z.boolean().default(true),
});
export const UpdateContactRequest = z.strictObject({
  name: Name.optional(),
  role: PlainText().trim().max(100).optional(),
  email: ContactEmail.nullable().optional(),
  phone: Phone.nullable().optional(),
  preferredChannel: PreferredChannel.optional(),
  receivesIncidentUpdates: z.boolean().optional(),
});
/** A client's contacts, all of them, by name (a firm has a handful). */
export const ContactList = page(Contact);

// ---- Sites ----------------------------------------------------------------

export const Site = z.object({
  id: Id,
  clientId: Id,
  clientName: z.string(),
  name: z.string(),
  address: z.string(),
  timeZone: z.string(),
  notes: z.string(),
  archivedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  systemCount: z.number().int(),
});
export type Site = z.infer<typeof Site>;

export const CreateSiteRequest = z.strictObject({
  clientId: Id,
  name: Name,
  address: PlainText().trim().max(500).default(''),
  timeZone: TimeZone,
  notes: Notes.default(''),
});
export const UpdateSiteRequest = z.strictObject({
  name: Name.optional(),
  address: PlainText().trim().max(500).optional(),
  timeZone: TimeZone.optional(),
  notes: Notes.optional(),
  archived: z.boolean().optional(),
});
export const SiteListQuery = ListQuery.extend({ clientId: Id.optional() });
export const SiteList = page(Site);

// ---- Systems --------------------------------------------------------------

export const SystemKind = z.enum([
  'server',
  'virtual_machine',
  'hypervisor',
  'nas',
  'email',
  'phone_system',
  'firewall',
  'internet_line',
  'backup_job',
  'ups',
  'other',
]);
export type SystemKind = z.infer<typeof SystemKind>;

export const Criticality = z.enum(['low', 'normal', 'high', 'critical']);
export type Criticality = z.infer<typeof Criticality>;

const Host = z
  .string()
  .trim()
  .max(255)
  .regex(/^[A-Za-z0-9._:\-[\]/%]*$/, { error: 'must be a host name, IP address or URL host' });

export const SystemRef = z.object({ id: Id, name: z.string() });

export const System = z.object({
  id: Id,
  siteId: Id,
  clientId: Id,
  siteName: z.string(),
  clientName: z.string(),
  name: z.string(),
  kind: SystemKind,
  host: z.string().nullable(),
  criticality: Criticality,
  notes: z.string(),
  dependsOn: z.array(SystemRef).describe('Systems this one needs in order to work'),
  dependents: z.array(SystemRef).describe('Systems that need this one'),
  archivedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type System = z.infer<typeof System>;

const DependsOn = z
  .array(Id)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, {
    error: 'lists a system twice',
  });

export const CreateSystemRequest = z.strictObject({
  siteId: Id,
  name: Name,
  kind: SystemKind,
  host: Host.nullable().default(null),
  criticality: Criticality.default('normal'),
  notes: Notes.default(''),
  dependsOn: DependsOn.default([]),
});
export const UpdateSystemRequest = z.strictObject({
  name: Name.optional(),
  kind: SystemKind.optional(),
  host: Host.nullable().optional(),
  criticality: Criticality.optional(),
  notes: Notes.optional(),
  dependsOn: DependsOn.optional(),
  archived: z.boolean().optional(),
});
export const SystemListQuery = ListQuery.extend({
  siteId: Id.optional(),
  clientId: Id.optional(),
  kind: SystemKind.optional(),
  criticality: Criticality.optional(),
});
export const SystemList = page(System);

// ---- Overview (the Now screen) ---------------------------------------------

/** What Now shows of a contract: whether support hours apply now, and the response target. */
export const OverviewContract = Contract.pick({ supportHours: true, responseTargetMinutes: true });
export const OverviewClient = z.object({ id: Id, contract: OverviewContract });
/**
 * Only what the Now screen reads beside the status summary (which has the names, sites and states).
 * It used to list each client's name, sites and system counts, and totals as well: those are in
 * GET /api/clients (siteCount, systemCount) and GET /api/sites.
 */
export const Overview = z
  .object({ clients: z.array(OverviewClient) })
  .describe(
    'Each live client’s support hours and response target, for the Now screen. Names, sites and system counts: GET /api/clients and GET /api/sites.',
  );
