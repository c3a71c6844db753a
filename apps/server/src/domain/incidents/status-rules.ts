import type { IncidentStatus } from '@afterhours/shared';

export interface StatusFacts {
  from: IncidentStatus;
  to: IncidentStatus;
  /** Titles of tasks still to do or in progress. */
  unfinishedTasks: string[];
}

/** Why a status change is refused, in words a person can act on; null when it is allowed. Pure. */
export function statusRefusal(facts: StatusFacts): string | null {
  if (facts.from === facts.to) return `The incident is already ${facts.to}`;
  if (facts.from === 'resolved' && facts.to !== 'investigating')
    return 'A resolved incident can only be reopened as investigating';
  if (facts.to === 'resolved' && facts.unfinishedTasks.length) {
    const n = facts.unfinishedTasks.length;
    const list = facts.unfinishedTasks
      .slice(0, 3)
      .map((t) => `"${t}"`)
      .join(', ');
    return `${n} task${n === 1 ? ' is' : 's are'} not finished (${list}${n > 3 ? ', …' : ''}): mark ${n === 1 ? 'it' : 'them'} done or blocked first`;
  }
  return null;
}
