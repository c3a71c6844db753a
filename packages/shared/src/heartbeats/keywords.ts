import type { PingAction } from './state.js';

export interface PingKeywords {
  success: string[];
  failure: string[];
  start: string[];
}

/**
 * What a ping body says, when its heartbeat looks for keywords (as healthchecks.io's "filter by
 * keywords"): failure words win over success words, success over start; a body with none of them is
 * recorded and ignored. Matching is case-sensitive, on the part of the body that was kept.
 */
export function actionFromBody(body: string, keywords: PingKeywords, fallback: PingAction): PingAction {
  const has = (words: string[]) => words.some((w) => w !== '' && body.includes(w));
  if (!keywords.success.length && !keywords.failure.length && !keywords.start.length) return fallback;
  if (has(keywords.failure)) return 'fail';
  if (has(keywords.success)) return 'success';
  if (has(keywords.start)) return 'start';
  return 'ignore';
}
