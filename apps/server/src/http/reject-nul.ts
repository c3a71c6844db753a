import type { FastifyInstance } from 'fastify';
import { badInput } from './errors.js';

interface Place {
  value: unknown;
  key: string | null;
  parent: Place | null;
}

function pathOf(place: Place): string {
  const keys: string[] = [];
  for (let at: Place | null = place; at && at.key !== null; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.') || 'body';
}

/**
 * The path of the first string holding a NUL character, which PostgreSQL cannot store in text.
 * Walks with its own stack, not recursion, and keeps each place's parent rather than a copy of its
 * path: bodies are depth-bounded already, but no walk of input should lean on that.
 */
export function findNul(root: unknown): string | null {
  const stack: Place[] = [{ value: root, key: null, parent: null }];
  for (let place = stack.pop(); place; place = stack.pop()) {
    const { value } = place;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return pathOf(place);
    } else if (value && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
      // Pushed in reverse so the first field is looked at first, as a person reads the body.
      for (const [key, item] of entries.reverse()) stack.push({ value: item, key, parent: place });
    }
  }
  return null;
}

/** Refuse NUL characters in any body or query field with a 400 naming it, for every route at once. */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const field = findNul(request.body) ?? findNul(request.query) ?? findNul(request.params);
    if (field) throw badInput({ [field]: 'may not contain NUL characters' });
  });
}
