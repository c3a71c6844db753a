import { instantOfWallTime, wallTime } from '../heartbeats/cron.js';

/**
 * The on-call schedule maths, pure: a schedule's layers (rotations limited to days and hours) and its
 * overrides, for an interval, give the final shifts. All calendar arithmetic happens in the schedule's
 * wall time and is turned into instants at the end, so a weekly hand-off at 09:00 stays at 09:00 when
 * the clocks change (that shift is 167 or 169 hours long).
 */

export type RotationKind = 'daily' | 'weekly' | 'days';

/** Days are 0 (Sunday) to 6; `from`/`to` are "HH:MM" wall times; `to` at or before `from` ends the next day. */
export interface Restriction {
  days: number[];
  from: string;
  to: string;
}

export interface LayerDef {
  id: string;
  /** User ids in rotation order. */
  participants: string[];
  rotation: RotationKind;
  /** Shift length in days for rotation 'days' (ignored otherwise). */
  everyDays: number;
  /** "HH:MM", in the schedule's time zone. */
  handoffTime: string;
  /** "YYYY-MM-DD": the first participant's first shift starts at the hand-off time of this day. */
  startDate: string;
  /** Empty: the layer covers all day, every day. */
  restrictions: Restriction[];
}

export interface ScheduleDef {
  timeZone: string;
  /** Lowest first: a later layer wins wherever it has someone on call. */
  layers: LayerDef[];
  /** People who cannot be on call (disabled or removed accounts): their shifts fall to the layer below. */
  unavailable?: string[];
}

export interface OverrideDef {
  id: string;
  userId: string;
  start: Date;
  end: Date;
}

export interface Shift {
  start: Date;
  end: Date;
  /** null: a gap, nobody on call. */
  userId: string | null;
  source: 'layer' | 'override' | 'gap';
  layerId: string | null;
  overrideId: string | null;
}

interface Span {
  start: number;
  end: number;
}
interface Segment extends Span {
  userId: string;
}

const DAY = 86_400_000;

export function shiftDays(layer: Pick<LayerDef, 'rotation' | 'everyDays'>): number {
  if (layer.rotation === 'daily') return 1;
  if (layer.rotation === 'weekly') return 7;
  return Math.max(1, Math.floor(layer.everyDays));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function wallDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

/** The rotation's shifts overlapping [from, to), before restrictions. */
export function rotationShifts(layer: LayerDef, timeZone: string, from: number, to: number): Segment[] {
  if (!layer.participants.length || to <= from) return [];
  const len = shiftDays(layer) * DAY;
  const first = wallDay(layer.startDate) + minutesOf(layer.handoffTime) * 60_000;
  const boundary = (k: number) => instantOfWallTime(first + k * len, timeZone);
  // Start one shift early (wall-time estimate), never before the layer starts.
  let k = Math.max(0, Math.floor((wallTime(from, timeZone) - first) / len) - 1);
  const out: Segment[] = [];
  for (let start = boundary(k); start < to; k++) {
    const end = boundary(k + 1);
    if (end > from) {
      const userId = layer.participants[k % layer.participants.length]!;
      out.push({ start: Math.max(start, from), end: Math.min(end, to), userId });
    }
    start = end;
  }
  return out;
}

/** The windows a layer's restrictions allow within [from, to), merged; null means no restriction. */
export function restrictionWindows(layer: LayerDef, timeZone: string, from: number, to: number): Span[] | null {
  if (!layer.restrictions.length) return null;
  const windows: Span[] = [];
  const firstDay = Math.floor(wallTime(from, timeZone) / DAY) * DAY - DAY;
  const lastDay = Math.floor(wallTime(to, timeZone) / DAY) * DAY;
  for (let day = firstDay; day <= lastDay; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    for (const r of layer.restrictions) {
      if (!r.days.includes(weekday)) continue;
      const a = minutesOf(r.from);
      const b = minutesOf(r.to);
      const start = instantOfWallTime(day + a * 60_000, timeZone);
      const end = instantOfWallTime(day + (b <= a ? DAY : 0) + b * 60_000, timeZone);
      if (end > from && start < to) windows.push({ start: Math.max(start, from), end: Math.min(end, to) });
    }
  }
  return mergeSpans(windows);
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((x, y) => x.start - y.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** One layer's on-call segments within [from, to): its rotation cut to its restriction windows. */
export function layerSegments(layer: LayerDef, timeZone: string, from: number, to: number): Segment[] {
  const shifts = rotationShifts(layer, timeZone, from, to);
  const windows = restrictionWindows(layer, timeZone, from, to);
  if (!windows) return shifts;
  const out: Segment[] = [];
  for (const s of shifts)
    for (const w of windows) {
      const start = Math.max(s.start, w.start);
      const end = Math.min(s.end, w.end);
      if (start < end) out.push({ start, end, userId: s.userId });
    }
  return out;
}

/**
 * The final shifts of a schedule within [from, to), gaps included, in order and without holes:
 * an override wins over every layer (the later of two overlapping overrides wins), a higher layer
 * over a lower one, and time nobody covers is a shift with `userId` null.
 */
export function finalShifts(schedule: ScheduleDef, overrides: OverrideDef[], from: Date, to: Date): Shift[] {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return [];
  const away = new Set(schedule.unavailable ?? []);
  const layers = schedule.layers.map((layer) => ({
    layer,
    segments: layerSegments(layer, schedule.timeZone, a, b).filter((s) => !away.has(s.userId)),
  }));
  const ovs = overrides
    .filter((o) => !away.has(o.userId))
    .map((o, index) => ({ o, index, start: Math.max(o.start.getTime(), a), end: Math.min(o.end.getTime(), b) }))
    .filter((o) => o.start < o.end);
  const cuts = new Set<number>([a, b]);
  for (const { segments } of layers) for (const s of segments) cuts.add(s.start).add(s.end);
  for (const o of ovs) cuts.add(o.start).add(o.end);
  const points = [...cuts].sort((x, y) => x - y);

  const out: Shift[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const piece = pieceAt(layers, ovs, start);
    const last = out.at(-1);
    if (
      last &&
      last.userId === piece.userId &&
      last.source === piece.source &&
      last.layerId === piece.layerId &&
      last.overrideId === piece.overrideId
    ) {
      last.end = new Date(end);
    } else {
      out.push({ start: new Date(start), end: new Date(end), ...piece });
    }
  }
  return out;
}

type Piece = Pick<Shift, 'userId' | 'source' | 'layerId' | 'overrideId'>;

function pieceAt(
  layers: Array<{ layer: LayerDef; segments: Segment[] }>,
  ovs: Array<{ o: OverrideDef; index: number; start: number; end: number }>,
  t: number,
): Piece {
  let override: (typeof ovs)[number] | undefined;
  for (const o of ovs) if (o.start <= t && t < o.end && (!override || o.index > override.index)) override = o;
  if (override) return { userId: override.o.userId, source: 'override', layerId: null, overrideId: override.o.id };
  for (let i = layers.length - 1; i >= 0; i--) {
    const hit = layers[i]!.segments.find((s) => s.start <= t && t < s.end);
    if (hit) return { userId: hit.userId, source: 'layer', layerId: layers[i]!.layer.id, overrideId: null };
  }
  return { userId: null, source: 'gap', layerId: null, overrideId: null };
}

/** Who is on call at one instant (empty: nobody). */
export function onCallAtTime(schedule: ScheduleDef, overrides: OverrideDef[], at: Date): string[] {
  const [shift] = finalShifts(schedule, overrides, at, new Date(at.getTime() + 1));
  return shift?.userId ? [shift.userId] : [];
}

/** The gaps (nobody on call) within [from, to). */
export function gapsIn(schedule: ScheduleDef, overrides: OverrideDef[], from: Date, to: Date): Shift[] {
  return finalShifts(schedule, overrides, from, to).filter((s) => s.userId === null);
}
