import type { IncidentSeverity, IncidentStatus, ResponseClock, TaskStatus } from '@afterhours/shared';
import { formatDateTime } from '../../lib/date-format';

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

export const SEVERITY_LABEL: Record<IncidentSeverity, string> = {
  critical: 'Critical',
  major: 'Major',
  minor: 'Minor',
};

export const TASK_STATUS_LABEL: Record<TaskStatus, string> = {
  todo: 'To do',
  doing: 'Doing',
  done: 'Done',
  blocked: 'Blocked',
};

function duration(minutes: number): string {
  const m = Math.abs(minutes);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest ? `${h} h ${rest} min` : `${h} hour${h === 1 ? '' : 's'}`;
}

/** One response clock as a technician reads it: "12 minutes left to acknowledge", "paused until Mon 08:00". */
export function clockLine(what: 'acknowledge' | 'resolve', clock: ResponseClock): string {
  const verb = what === 'acknowledge' ? 'to acknowledge' : 'to resolve';
  switch (clock.state) {
    case 'none':
      return `No target ${verb}`;
    case 'met':
      return `${what === 'acknowledge' ? 'Acknowledged' : 'Resolved'} within target (${duration(clock.elapsedMinutes)} of support time)`;
    case 'breached':
      return clock.stoppedAt
        ? `Target ${verb} missed by ${duration(-(clock.leftMinutes ?? 0))}`
        : `Target ${verb} missed ${duration(-(clock.leftMinutes ?? 0))} ago`;
    case 'running':
      return `${duration(clock.leftMinutes ?? 0)} left ${verb}`;
    case 'paused':
      return `${duration(clock.leftMinutes ?? 0)} left ${verb} · outside support hours, clock paused${clock.breachAt ? ` (due ${formatDateTime(clock.breachAt)})` : ''}`;
  }
}

/** The class of a clock line: urgent (red), running (amber) or settled (muted). */
export function clockClass(clock: ResponseClock): string {
  if (clockUrgent(clock)) return 'incident-clock is-urgent';
  return clock.state === 'running' || clock.state === 'paused' ? 'incident-clock' : 'incident-clock is-settled';
}

/** Whether a clock needs attention now: missed, or less than a quarter of its target left while running. */
export function clockUrgent(clock: ResponseClock): boolean {
  if (clock.state === 'breached') return true;
  if (clock.state !== 'running' || clock.targetMinutes === null || clock.leftMinutes === null) return false;
  return clock.leftMinutes <= Math.max(5, clock.targetMinutes / 4);
}
