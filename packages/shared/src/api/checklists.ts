import { z } from 'zod';
import { Id, Name, PlainText, Timestamp } from '../common.js';

/** API shapes of checklists: templates (versioned, global or per site), their per-site bindings, runs, schedules. */

export const StepKind = z.enum(['manual', 'check', 'all-up', 'heartbeat-fresh', 'ups-on-line', 'agent-online']);
export type StepKind = z.infer<typeof StepKind>;

/** Steps of kinds that the hub judges by itself. */
export const AUTOMATIC_KINDS: readonly StepKind[] = [
  'check',
  'all-up',
  'heartbeat-fresh',
  'ups-on-line',
  'agent-online',
];
export const isAutomatic = (kind: StepKind) => kind !== 'manual';

const Key = z
  .string()
  .trim()
  .min(1, { error: 'is required' })
  .max(60)
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lower-case letters, digits and dashes, e.g. "mail-server"' });

/**
 * What an automatic step means, by name, so a global template reads the same at every site: the system,
 * check or heartbeat of that name at the site where it runs. A per-site binding (ids) overrides it.
 */
export const StepTarget = z.strictObject({
  system: PlainText().trim().min(1).max(200).optional(),
  check: PlainText().trim().min(1).max(200).optional(),
  heartbeat: PlainText().trim().min(1).max(200).optional(),
});
export type StepTarget = z.infer<typeof StepTarget>;

export const TemplateStep = z.strictObject({
  /** Stable within the template: bindings and runs refer to it. */
  key: Key,
  title: Name,
  instructions: PlainText().max(2000).default(''),
  kind: StepKind,
  target: StepTarget.optional(),
  /** heartbeat-fresh: the last success must be this recent. */
  withinHours: z
    .number()
    .min(0.1)
    .max(24 * 31)
    .optional(),
});
export type TemplateStep = z.infer<typeof TemplateStep>;

export const TemplateSection = z.strictObject({
  title: Name,
  steps: z.array(TemplateStep).min(1, { error: 'needs at least one step' }).max(200),
});

export const TemplateBody = z
  .strictObject({
    sections: z.array(TemplateSection).min(1, { error: 'needs at least one section' }).max(50),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    for (const [s, section] of body.sections.entries()) {
      for (const [i, step] of section.steps.entries()) {
        const path = ['sections', s, 'steps', i];
        if (seen.has(step.key))
          ctx.addIssue({ code: 'custom', message: `step key "${step.key}" is used twice`, path: [...path, 'key'] });
        seen.add(step.key);
        if (step.kind === 'check' && !step.target?.check)
          ctx.addIssue({
            code: 'custom',
            message: 'a check step names its check (target.check), or is bound per site',
            path: [...path, 'target'],
          });
        if (step.kind === 'heartbeat-fresh' && !step.target?.heartbeat)
          ctx.addIssue({
            code: 'custom',
            message: 'a heartbeat-fresh step names its heartbeat (target.heartbeat), or is bound per site',
            path: [...path, 'target'],
          });
      }
    }
  });
export type TemplateBody = z.infer<typeof TemplateBody>;

export const TemplateRequest = z.strictObject({
  name: Name,
  description: PlainText().max(2000).default(''),
  /** Set for a template of one site; absent for a global (firm-wide) template. */
  siteId: Id.optional(),
  body: TemplateBody,
});

export const TemplateUpdate = z.strictObject({
  name: Name.optional(),
  description: PlainText().max(2000).optional(),
  /** A new body makes a new version; runs keep the version they started with. */
  body: TemplateBody.optional(),
});

export const TemplateSummary = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  siteId: Id.nullable(),
  siteName: z.string().nullable(),
  clientId: Id.nullable(),
  version: z.number().int(),
  steps: z.number().int(),
  automaticSteps: z.number().int(),
  updatedAt: Timestamp,
});

export const Template = TemplateSummary.extend({ body: TemplateBody });

export const TemplateListQuery = z.object({
  /** Templates that apply at this site: the global ones and its own. */
  siteId: Id.optional(),
});

/** Per-site binding of a global template's step: which system, check or heartbeat it means there. */
export const StepBinding = z.strictObject({
  systemId: Id.optional(),
  checkId: Id.optional(),
  heartbeatId: Id.optional(),
});
export const BindingsRequest = z.strictObject({
  bindings: z.record(Key, StepBinding),
});
export const Bindings = z.object({ templateId: Id, siteId: Id, bindings: z.record(z.string(), StepBinding) });

export const TemplateYaml = z.strictObject({
  /** The template as YAML (name, description, sections); a site template is imported with siteId. */
  yaml: z.string().min(1).max(500_000),
  siteId: Id.optional(),
});

export const RunStatus = z.enum(['running', 'passed', 'passed_with_notes', 'failed']);
export const StepStatus = z.enum(['pending', 'running', 'passed', 'failed', 'not_done']);
export type StepStatus = z.infer<typeof StepStatus>;

export const RunStep = z.object({
  id: Id,
  key: z.string(),
  section: z.string(),
  title: z.string(),
  instructions: z.string(),
  kind: StepKind,
  /** What it was judged against at this site, by name. */
  targetLabel: z.string(),
  status: StepStatus,
  /** What the automatic judgement found, or the person's note. */
  message: z.string(),
  note: z.string(),
  doneBy: z.string().nullable(),
  doneAt: Timestamp.nullable(),
  /** A photo is attached: GET /api/checklist-runs/:id/steps/:stepId/photo. */
  hasPhoto: z.boolean(),
});

export const Run = z.object({
  id: Id,
  templateId: Id,
  templateName: z.string(),
  templateVersion: z.number().int(),
  clientId: Id,
  clientName: z.string(),
  siteId: Id,
  siteName: z.string(),
  siteTimeZone: z.string(),
  incidentId: z.string().nullable(),
  incidentNumber: z.number().int().nullable(),
  scheduled: z.boolean(),
  status: RunStatus,
  startedAt: Timestamp,
  startedBy: z.string().nullable(),
  finishedAt: Timestamp.nullable(),
  finishedBy: z.string().nullable(),
  durationS: z.number().nullable(),
  steps: z.array(RunStep),
});
export type Run = z.infer<typeof Run>;

export const RunSummary = Run.omit({ steps: true }).extend({
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
});

export const RunListQuery = z.object({
  siteId: Id.optional(),
  status: z.enum(['open', 'finished', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const StartRunRequest = z.strictObject({
  templateId: Id,
  siteId: Id,
  incidentId: Id.optional(),
});

/** A tick of a manual step (or a person's verdict over an automatic one). */
export const TickRequest = z.strictObject({
  /**
   * Made on the phone once per tick: a tick sent twice (queued while offline, then resent) is applied once.
   */
  tickKey: z.string().trim().min(8).max(100),
  status: z.enum(['passed', 'failed', 'not_done', 'pending']),
  note: PlainText().max(2000).default(''),
  /** When the person ticked it (the phone's clock), e.g. while offline; the hub's time when absent. */
  at: z.iso.datetime({ offset: true, error: 'must be a date and time such as 2026-12-07T06:05:00Z' }).optional(),
});

export const TickResponse = z.object({ applied: z.boolean(), run: Run });

export const ScheduleRequest = z.strictObject({
  templateId: Id,
  siteId: Id,
  /** Five-field cron in the site's time zone, e.g. "0 6 * * mon" for Monday 06:00. */
  cron: z.string().trim().min(9).max(100),
  /** Who gets the result; empty means whoever is on call in `oncallScheduleId`. */
  notifyUserIds: z.array(Id).max(20).default([]),
  oncallScheduleId: Id.nullable().default(null),
  enabled: z.boolean().default(true),
});

export const ChecklistSchedule = z.object({
  id: Id,
  templateId: Id,
  templateName: z.string(),
  siteId: Id,
  siteName: z.string(),
  timeZone: z.string(),
  cron: z.string(),
  notifyUserIds: z.array(Id),
  oncallScheduleId: Id.nullable(),
  enabled: z.boolean(),
  nextRunAt: Timestamp.nullable(),
  lastRunId: Id.nullable(),
});
