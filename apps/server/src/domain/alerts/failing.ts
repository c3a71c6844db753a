import type { AlertChange, ChangeKind } from '@afterhours/shared';

/** One of a server's own checks that is failing, as listed under the server's alert. */
export interface FailingCheck {
  checkId: string;
  name: string;
  since: string;
  reason: string;
}

export interface ServerStep {
  failing: FailingCheck[];
  /**
   * The change of the server as a whole, for the alert's state machine: a problem when its first check
   * fails, a recovery when its last failing check is well again; null when only the list changed.
   */
  change: AlertChange | null;
}

/**
 * One alert per server: a check's change moves it in or out of the server's failing list, and only the
 * first failure and the last recovery change the alert's state. Pure.
 */
export function stepServer(
  failing: FailingCheck[],
  kind: Exclude<ChangeKind, 'ignore'>,
  check: FailingCheck,
  toState: string,
): ServerStep {
  const others = failing.filter((f) => f.checkId !== check.checkId);
  const was = failing.find((f) => f.checkId === check.checkId);
  const next = kind === 'problem' ? [...others, was ? { ...was, reason: check.reason } : check] : others;
  const at = check.since;
  if (!failing.length && next.length) return { failing: next, change: { kind: 'problem', toState, at } };
  if (failing.length && !next.length) return { failing: next, change: { kind: 'recovery', toState, at } };
  // A recovery of a check that was not failing still counts for a flapping alert, which waits to settle.
  if (!failing.length && !next.length) return { failing: next, change: { kind, toState, at } };
  return { failing: next, change: null };
}

/** "FS01: rdp down", or "FS01: 3 checks down". */
export function serverTitle(systemName: string, failing: FailingCheck[], state = 'down'): string {
  if (failing.length === 1) return `${systemName}: ${failing[0]!.name} ${state}`;
  return `${systemName}: ${failing.length} checks ${state}`;
}
