import { type MessageTemplateKind, PLACEHOLDER_MEANINGS, TEMPLATE_PLACEHOLDERS } from '@afterhours/shared';
import { badInput } from '../../http/errors.js';

const PLACEHOLDER = /\{([a-z]+)\}/g;

/** Refuses a template naming a placeholder its kind does not fill ("{clinet}"), saying which ones exist. */
export function assertKnownPlaceholders(kind: MessageTemplateKind, fields: { subject?: string; body?: string }): void {
  const known: readonly string[] = TEMPLATE_PLACEHOLDERS[kind];
  const problems: Record<string, string> = {};
  for (const [field, text] of Object.entries(fields)) {
    if (text === undefined) continue;
    const unknown = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.includes(name));
    if (unknown.length)
      problems[field] = `has an unknown placeholder {${unknown[0]}}; use ${known.map((k) => `{${k}}`).join(', ')}`;
  }
  if (Object.keys(problems).length) throw badInput(problems);
}

/** Fills "{client}" and the like; a placeholder with no value is left as written, for the sender to see. */
export function fillPlaceholders(text: string, values: Record<string, string | undefined>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** Each kind's placeholders with what they are filled with, for the template editor. */
export function placeholderHelp(): Record<MessageTemplateKind, { name: string; meaning: string }[]> {
  const help = (names: readonly string[]) => names.map((name) => ({ name, meaning: PLACEHOLDER_MEANINGS[name] ?? '' }));
  return {
    incident_update: help(TEMPLATE_PLACEHOLDERS.incident_update),
    checklist_report: help(TEMPLATE_PLACEHOLDERS.checklist_report),
  };
}
