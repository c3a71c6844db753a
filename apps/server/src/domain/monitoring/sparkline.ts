/**
 * A check's sparkline: its last latencies (null for a failure), oldest first, stored as JSON text in
 * `checks.recent_latencies`.
 */

export const SPARKLINE_POINTS = 30;

/** The stored text as numbers; anything that is not a JSON array reads as empty. */
export function parseSparkline(text: string): Array<number | null> {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as Array<number | null>) : [];
  } catch {
    return [];
  }
}

/** Text exactly as JSON.stringify writes an array of numbers and nulls. */
const CANONICAL = /^\[(?:(?:-?\d+(?:\.\d+)?(?:e[+-]\d+)?|null)(?:,(?:-?\d+(?:\.\d+)?(?:e[+-]\d+)?|null))*)?\]$/;

/**
 * The stored text with one more point, the oldest dropped beyond SPARKLINE_POINTS: the same text as parsing,
 * pushing and JSON.stringify, without them (they were ~10 µs of every stored result). Text in any other
 * form goes that way once.
 */
export function appendToSparkline(text: string, point: number | null): string {
  const base = CANONICAL.test(text) ? text : JSON.stringify(parseSparkline(text));
  const value = point === null || !Number.isFinite(point) ? 'null' : String(point);
  let out = base.length === 2 ? `[${value}]` : `${base.slice(0, -1)},${value}]`;
  let points = 1;
  for (let i = 1; i < out.length - 1; i++) if (out.charCodeAt(i) === 44) points++;
  if (points > SPARKLINE_POINTS) {
    let cut = 0;
    for (let drop = points - SPARKLINE_POINTS; drop > 0; drop--) cut = out.indexOf(',', cut) + 1;
    out = `[${out.slice(cut)}`;
  }
  return out;
}
