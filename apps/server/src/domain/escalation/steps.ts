import type { EscalationStep } from '@afterhours/shared';

/** A policy as an escalation keeps it: the snapshot taken when the subject first paged. */
export interface PolicySnapshot {
  id: string | null;
  name: string;
  steps: EscalationStep[];
  repeat: number;
}

export interface Position {
  step: number;
  pass: number;
}

/** Where an escalation goes after running `at`: the next step, the first step of the next pass, or nowhere. */
export function positionAfter(policy: PolicySnapshot, at: Position): Position | null {
  if (at.step + 1 < policy.steps.length) return { step: at.step + 1, pass: at.pass };
  if (at.pass < policy.repeat) return { step: 0, pass: at.pass + 1 };
  return null;
}

/** The idempotency round of one step's pages: a retried step writes the same round, so nothing is sent twice. */
export function roundOf(epoch: number, at: Position): string {
  return `${epoch}.${at.pass}.${at.step}`;
}

/** With no policy at all, whoever is on call cannot be found: page every owner and admin (set by the caller). */
export const NO_POLICY_NAME = 'No escalation policy';
