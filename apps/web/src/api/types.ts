// Types of the hub's API, inferred from the shared zod schemas. Only types are imported: the
// schemas themselves would bring zod into the phone's bundle.
import type { z } from 'zod';
import type {
  ApiToken as ApiTokenSchema,
  ClientList as ClientListSchema,
  ContactList as ContactListSchema,
  CreatedToken as CreatedTokenSchema,
  Overview as OverviewSchema,
  SiteList as SiteListSchema,
  SupportWindow as SupportWindowSchema,
  SystemList as SystemListSchema,
  TotpSetup as TotpSetupSchema,
  TotpEnabled as TotpEnabledSchema,
  RecoveryCodes as RecoveryCodesSchema,
  RecoveryCodesStatus as RecoveryCodesStatusSchema,
  Weekday as WeekdaySchema,
  PreferredChannel as PreferredChannelSchema,
  CheckList as CheckListSchema,
  CheckResultList as CheckResultListSchema,
  RunCheckResponse as RunCheckResponseSchema,
  StateChangeList as StateChangeListSchema,
  StatusCheck as StatusCheckSchema,
  AgentList as AgentListSchema,
} from '@afterhours/shared';

export type {
  AuditEvent,
  DisplaySettings,
  Clock,
  ChangeEvent,
  Client,
  Contact,
  Contract,
  Criticality,
  Role,
  Session,
  Site,
  SupportHours,
  System,
  SystemKind,
  User,
  Agent,
  AgentEnrolment,
  AgentStatus,
  Check,
  CheckKind,
  CheckResult,
  CheckHistory,
  SiteStatus,
  StateChange,
  StateCounts,
  Uptime,
} from '@afterhours/shared';

export type ApiToken = z.infer<typeof ApiTokenSchema>;
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;
export type Overview = z.infer<typeof OverviewSchema>;
export type OverviewClient = Overview['clients'][number];
export type ClientList = z.infer<typeof ClientListSchema>;
export type ContactList = z.infer<typeof ContactListSchema>;
export type SiteList = z.infer<typeof SiteListSchema>;
export type SystemList = z.infer<typeof SystemListSchema>;
export type TotpSetup = z.infer<typeof TotpSetupSchema>;
export type TotpEnabled = z.infer<typeof TotpEnabledSchema>;
export type RecoveryCodes = z.infer<typeof RecoveryCodesSchema>;
export type RecoveryCodesStatus = z.infer<typeof RecoveryCodesStatusSchema>;
export type Weekday = z.infer<typeof WeekdaySchema>;
export type SupportWindow = z.infer<typeof SupportWindowSchema>;
export type PreferredChannel = z.infer<typeof PreferredChannelSchema>;
export interface AuditPage {
  items: import('@afterhours/shared').AuditEvent[];
  nextCursor: string | null;
}
export interface Ok {
  ok: true;
}

// Monitoring
export type CheckList = z.infer<typeof CheckListSchema>;
export type CheckResultList = z.infer<typeof CheckResultListSchema>;
export type RunCheckResponse = z.infer<typeof RunCheckResponseSchema>;
export type StateChangeList = z.infer<typeof StateChangeListSchema>;
export type StatusCheck = z.infer<typeof StatusCheckSchema>;
export type StatusClient = import('@afterhours/shared').SiteStatus['clients'][number];
export type StatusSite = StatusClient['sites'][number];
export type StatusSystem = StatusSite['systems'][number];
export type CheckState = StatusCheck['state'];
export type LastResult = NonNullable<StatusCheck['lastResult']>;
export type AgentList = z.infer<typeof AgentListSchema>;

// Heartbeats and backups
export type {
  Heartbeat,
  HeartbeatEvent,
  ClientBackups,
  LastNight,
} from '@afterhours/shared';
export type HeartbeatList = z.infer<typeof import('@afterhours/shared').HeartbeatList>;
export type HeartbeatHistory = z.infer<typeof import('@afterhours/shared').HeartbeatHistory>;
export type HeartbeatSummary = z.infer<typeof import('@afterhours/shared').HeartbeatSummary>;
export type PingKey = z.infer<typeof import('@afterhours/shared').PingKey>;
export type HeartbeatStatus = import('@afterhours/shared').Heartbeat['status'];
export type BackupJob = import('@afterhours/shared').ClientBackups['jobs'][number];
export type LastNightItem = import('@afterhours/shared').LastNight['items'][number];
export type DayResult = BackupJob['calendar'][number]['result'];

// Notifications
export type {
  ChannelKind,
  ContactMethod,
  DeliveryLogEntry,
  HubChannelSettingsView,
  NotificationRule,
  NotificationSettings,
  QuietHours,
} from '@afterhours/shared';

// Client updates, message templates and shared reports
export type {
  ClientUpdate,
  CreatedShareLink,
  IncidentReport,
  MessageTemplate,
  MessageTemplateKind,
  RecipientDelivery,
  ShareLink,
  UpdateDraft,
  UpdateRecipient,
} from '@afterhours/shared';
export interface MessageTemplateList {
  items: import('@afterhours/shared').MessageTemplate[];
  placeholders: Record<import('@afterhours/shared').MessageTemplateKind, { name: string; meaning: string }[]>;
}
