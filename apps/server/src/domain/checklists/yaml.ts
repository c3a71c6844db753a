import { TemplateBody } from '@afterhours/shared';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { badInput } from '../../http/errors.js';
import type { bodyOf } from './templates.js';

/** A template as a firm keeps it in git: name, description, sections of steps (targets by name, no ids). */
const TemplateFile = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  sections: z.unknown(),
});

export function templateToYaml(template: {
  name: string;
  description: string;
  body: ReturnType<typeof bodyOf>;
}): string {
  return stringify({ name: template.name, description: template.description, sections: template.body.sections });
}

/** Parses and validates a template file; a mistake is a 400 naming the line or the field. */
export function templateFromYaml(text: string): { name: string; description: string; body: TemplateBody } {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 50 });
  } catch (error) {
    throw badInput({
      yaml: `is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    });
  }
  const file = TemplateFile.safeParse(raw);
  if (!file.success) throw badInput(fieldsOf(file.error, []));
  const body = TemplateBody.safeParse({ sections: file.data.sections });
  if (!body.success) throw badInput(fieldsOf(body.error, []));
  return { name: file.data.name, description: file.data.description, body: body.data };
}

function fieldsOf(error: z.ZodError, prefix: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[['yaml', ...prefix, ...issue.path.map(String)].join('.')] ??= issue.message;
  return fields;
}
