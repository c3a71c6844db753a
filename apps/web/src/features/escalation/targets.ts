import type { z } from 'zod';
import type {
  EscalationPolicy as EscalationPolicySchema,
  EscalationStep as EscalationStepSchema,
  EscalationTarget as EscalationTargetSchema,
} from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import type { OnCallSchedule, Person, Team } from '../oncall/types';

export type EscalationPolicy = z.infer<typeof EscalationPolicySchema>;
export type EscalationStep = z.infer<typeof EscalationStepSchema>;
export type EscalationTarget = z.infer<typeof EscalationTargetSchema>;

/** Schedules, people and teams a step can page, by id, for naming targets and offering them. */
export interface TargetChoices {
  schedules: Array<{ id: string; name: string }>;
  people: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string }>;
}

export function useTargetChoices(): TargetChoices {
  const schedules = useApi<{ items: OnCallSchedule[] }>('/api/schedules', { live: false });
  const people = useApi<{ items: Person[] }>('/api/oncall/people', { live: false });
  const teams = useApi<{ items: Team[] }>('/api/teams', { live: false });
  return {
    schedules: schedules.data?.items ?? [],
    people: people.data?.items ?? [],
    teams: teams.data?.items ?? [],
  };
}

/** "On call in Night rota", "Anna Lee", "Everyone in Field team". */
export function targetLabel(target: EscalationTarget, choices: TargetChoices): string {
  if (target.type === 'schedule')
    return `On call in ${choices.schedules.find((s) => s.id === target.id)?.name ?? 'a deleted schedule'}`;
  if (target.type === 'team')
    return `Everyone in ${choices.teams.find((t) => t.id === target.id)?.name ?? 'a deleted team'}`;
  return choices.people.find((p) => p.id === target.id)?.name ?? 'a removed person';
}

/** "Anna Lee, then after 5 min On call in Night rota…; twice more" */
export function describeSteps(policy: Pick<EscalationPolicy, 'steps' | 'repeat'>, choices: TargetChoices): string[] {
  const lines = policy.steps.map(
    (step, i) =>
      `${i + 1}. ${step.targets.map((t) => targetLabel(t, choices)).join(', ')} — wait ${step.waitMinutes} min`,
  );
  if (policy.repeat > 0) lines.push(`Then again, ${policy.repeat === 1 ? 'once more' : `${policy.repeat} more times`}`);
  return lines;
}

export const targetValue = (t: EscalationTarget) => `${t.type}:${t.id}`;

export function parseTarget(value: string): EscalationTarget | null {
  const [type, id] = value.split(':');
  if (!id || (type !== 'schedule' && type !== 'user' && type !== 'team')) return null;
  return { type, id };
}
