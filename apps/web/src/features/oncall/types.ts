// On-call API types, inferred from the shared zod schemas (types only: no zod in the phone's bundle).
import type { z } from 'zod';
import type {
  Calendar as CalendarSchema,
  Layer as LayerSchema,
  MyShift as MyShiftSchema,
  OnCallNow as OnCallNowSchema,
  OnCallSchedule as OnCallScheduleSchema,
  Override as OverrideSchema,
  Person as PersonSchema,
  ShiftOut as ShiftSchema,
  Team as TeamSchema,
} from '@afterhours/shared';

export type OnCallNow = z.infer<typeof OnCallNowSchema>;
export type ScheduleNow = OnCallNow['items'][number];
export type Shift = z.infer<typeof ShiftSchema>;
export type MyShift = z.infer<typeof MyShiftSchema>;
export type Calendar = z.infer<typeof CalendarSchema>;
export type OnCallSchedule = z.infer<typeof OnCallScheduleSchema>;
export type Layer = z.infer<typeof LayerSchema>;
export type Override = z.infer<typeof OverrideSchema>;
export type Person = z.infer<typeof PersonSchema>;
export type Team = z.infer<typeof TeamSchema>;

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
