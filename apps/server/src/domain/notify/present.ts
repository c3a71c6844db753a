import type { ContactMethod, NotificationRule } from '@afterhours/shared';
import type { ContactMethodsTable } from '../../db/schema.js';

export function presentMethod(row: ContactMethodsTable): ContactMethod {
  return {
    id: row.id,
    kind: row.kind as ContactMethod['kind'],
    label: row.label,
    summary: row.summary,
    verified: row.verified_at !== null,
    verifiedAt: row.verified_at,
    brokenAt: row.broken_at,
    brokenReason: row.broken_reason,
    createdAt: row.created_at,
  };
}

export function presentRule(row: {
  id: string;
  method_id: string;
  delay_minutes: number;
  urgency: string;
}): NotificationRule {
  return {
    id: row.id,
    methodId: row.method_id,
    delayMinutes: row.delay_minutes,
    urgency: row.urgency as 'high' | 'low',
  };
}
