import { z } from 'zod';

export const EntityType = z.enum([
  'client',
  'contact',
  'site',
  'system',
  'user',
  'token',
  'check',
  'agent',
  'heartbeat',
  'team',
  'schedule',
  'alert',
  'maintenance',
  'escalation_policy',
  'client_update',
  'message_template',
  'checklist_template',
  'checklist_run',
  'checklist_schedule',
  'incident',
  'task',
]);
export type EntityType = z.infer<typeof EntityType>;

/** One message on the live-update stream (`GET /api/events`, Server-Sent Events, event name `change`). */
export const ChangeEvent = z.object({
  entity: EntityType,
  id: z.string(),
  action: z.enum(['created', 'updated', 'deleted']),
  clientId: z.string().nullable(),
  at: z.string(),
});
export type ChangeEvent = z.infer<typeof ChangeEvent>;
