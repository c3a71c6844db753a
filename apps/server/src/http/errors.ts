import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

export type ErrorCode =
  | 'invalid_input'
  | 'json_too_deep'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'invalid_credentials'
  | 'totp_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

/** An error meant for the person calling: carries the HTTP status, a stable code and field messages. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode | string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badInput = (fields: Record<string, string>, message = describeFields(fields)) =>
  new AppError(400, 'invalid_input', message, fields);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found`);
export const forbidden = (message = 'You are not allowed to do this') => new AppError(403, 'forbidden', message);
export const conflict = (message: string, fields?: Record<string, string>) =>
  new AppError(409, 'conflict', message, fields);

function describeFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([field, problem]) => `${field} ${problem}`)
    .join('; ');
}

interface ZodIssueLike {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { issue?: { path?: PropertyKey[]; message?: string }; keys?: string[] };
}

function fieldsFromValidation(error: FastifyError): Record<string, string> {
  const fields: Record<string, string> = {};
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  for (const raw of (error.validation ?? []) as ZodIssueLike[]) {
    const path = raw.params?.issue?.path ?? raw.instancePath?.split('/').filter(Boolean) ?? [];
    if (raw.keyword === 'unrecognized_keys') {
      // Name each unknown field itself, so a typo shows next to the field that was meant.
      for (const key of raw.params?.keys ?? []) fields[[...path.map(String), key].join('.')] ??= 'is not a known field';
      continue;
    }
    const key = path.length ? path.map(String).join('.') : context;
    const message = raw.params?.issue?.message ?? raw.message ?? 'is invalid';
    fields[key] ??= humanise(message);
  }
  return fields;
}

function humanise(message: string): string {
  if (/^Invalid input: expected \w+, received undefined$/.test(message)) return 'is required';
  return message
    .replace(/^Invalid input: /, '')
    .replace(/^Too big: expected string to have <=(\d+) characters$/, 'must be at most $1 characters')
    .replace(/^Too small: expected string to have >=(\d+) characters?$/, 'must be at least $1 characters')
    .replace(/^Unrecognized key(s?)/, 'unknown field$1');
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      return reply.status(error.statusCode).send({
        error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = fieldsFromValidation(error);
      return reply.status(400).send({ error: { code: 'invalid_input', message: describeFields(fields), fields } });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, url: request.url }, 'response did not match its schema');
      return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on the hub' } });
    }
    const status = error.statusCode ?? 500;
    if (status < 500) {
      const code =
        status === 413
          ? 'payload_too_large'
          : status === 415
            ? 'unsupported_media_type'
            : status === 429
              ? 'rate_limited'
              : 'invalid_input';
      return reply.status(status).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error, url: request.url }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on the hub' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
