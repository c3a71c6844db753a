/** How a check result is stored since migration 0010 (docs/adr/0007-check-results-as-a-time-series.md). */

const STATUS_CODES: Record<string, number> = { up: 0, degraded: 1, down: 2 };
const STATUS_TEXTS = ['up', 'degraded', 'down'] as const;

export const statusCode = (status: string): number => STATUS_CODES[status] ?? 2;
export const statusText = (code: number): (typeof STATUS_TEXTS)[number] => STATUS_TEXTS[code] ?? 'down';

/** Latencies are whole µs: every check reports whole 0.1 ms or 0.001 ms, so nothing is lost. */
export const toMicros = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 1000));
export const fromMicros = (us: number | null): number | null => (us === null ? null : Number(us) / 1000);

export const HOUR_MS = 3600_000;
export const hourNumber = (iso: string): number => Math.floor(Date.parse(iso) / HOUR_MS);
export const hourIso = (hour: number): string => new Date(Number(hour) * HOUR_MS).toISOString();

/** A dictionary text (source, status, message) as one Map key. */
export const textKey = (source: string, status: number, message: string): string =>
  `${source}\u0000${status}\u0000${message}`;

/** A dictionary text's number and the newest hour the database is known to hold as its `last_hour`. */
export interface KnownText {
  id: number;
  hour: number;
}

/**
 * Numbers for check ids and for (source, status, message) texts, remembered per database: a text is looked up
 * (or added) once, then every result with it costs a Map lookup, and its `last_hour` is moved on at most once
 * an hour (the retention job deletes texts whose hour the raw results have outlived). The text map is emptied
 * when it grows past `maxTexts` (failure messages can vary without end).
 */
export class ResultKeys {
  readonly series = new Map<string, number>();
  private readonly texts = new Map<string, KnownText>();

  constructor(private readonly maxTexts = 20_000) {}

  text(source: string, status: number, message: string): KnownText | undefined {
    return this.texts.get(textKey(source, status, message));
  }

  /** Forgets every number: one learned in a transaction that then rolled back may not exist. */
  clear(): void {
    this.series.clear();
    this.texts.clear();
  }

  rememberText(source: string, status: number, message: string, id: number, hour: number): void {
    if (this.texts.size >= this.maxTexts) this.texts.clear();
    this.texts.set(textKey(source, status, message), { id: Number(id), hour: Number(hour) });
  }

  forgetText(source: string, status: number, message: string): void {
    this.texts.delete(textKey(source, status, message));
  }
}
