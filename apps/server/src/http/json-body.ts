import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

/**
 * No request the hub serves nests deeper than a handful of levels; 64 is far below what would
 * strain the parser, the schemas or the NUL guard, and far above any real body.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * How deep the JSON text nests, counted on the raw text in one pass (no parsing, no recursion), so
 * that a 200,000-deep body costs a scan and nothing more. Stops counting past `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}

/** JSON bodies are checked for depth before they are parsed; parsing itself stays Fastify's (proto-poisoning safe). */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) {
      done(
        new AppError(400, 'json_too_deep', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`) as never,
        undefined,
      );
      return;
    }
    void parse(request, body as string, done);
  });
}
