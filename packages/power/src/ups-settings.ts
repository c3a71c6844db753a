import { z } from 'zod';
import { snmpUpsSettings } from './ups-snmp/index.js';

/** What the hub accepts for a UPS read through upsd (NUT's network protocol). */
export const nutUpsSettings = z.strictObject({
  host: z.string().trim().min(1, { error: 'is required' }),
  port: z.number().int().min(1).max(65_535).default(3493),
  /** The UPS's name in upsd (ups.conf), e.g. "office". */
  ups: z.string().trim().min(1, { error: 'is required' }).max(100),
  username: z.string().max(200).optional(),
  password: z.string().max(1000).optional(),
  tls: z.enum(['off', 'when-offered', 'required']).default('when-offered'),
  ca: z.string().max(20_000).optional(),
});

export const upsSettingsSchemas = { nut: nutUpsSettings, snmp: snmpUpsSettings } as const;

/** Validates a UPS's settings; the first problem as { "settings.field": "message" }, or null when valid. */
export function upsSettingsProblem(kind: 'nut' | 'snmp', settings: unknown): Record<string, string> | null {
  const parsed = upsSettingsSchemas[kind].safeParse(settings);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const path = ['settings', ...(issue?.path ?? [])].join('.');
  return { [path]: issue?.message ?? 'is not valid' };
}
