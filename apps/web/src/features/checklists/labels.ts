import type { Run } from '@afterhours/shared';

type RunStatus = Run['status'];
type StepStatus = Run['steps'][number]['status'];

export const RUN_STATUS: Record<RunStatus, { label: string; tone: string }> = {
  running: { label: 'In progress', tone: 'badge-info' },
  passed: { label: 'Passed', tone: 'badge-ok' },
  passed_with_notes: { label: 'Passed with notes', tone: 'badge-ok' },
  failed: { label: 'Failed', tone: 'badge-danger' },
};

export const STEP_STATUS: Record<StepStatus, { label: string; mark: string; tone: string }> = {
  pending: { label: 'Open', mark: '○', tone: 'cl-pending' },
  running: { label: 'Checking', mark: '…', tone: 'cl-running' },
  passed: { label: 'Done', mark: '✓', tone: 'cl-passed' },
  failed: { label: 'Problem', mark: '✗', tone: 'cl-failed' },
  not_done: { label: 'Not done', mark: '–', tone: 'cl-not-done' },
};

export function runDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
