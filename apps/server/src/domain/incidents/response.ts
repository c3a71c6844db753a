import { describeSupportHours, type IncidentResponse, type IncidentTerms, responseClock } from '@afterhours/shared';
import type { IncidentsTable } from '../../db/schema.js';

/** The incident's two clocks against its contract terms: to acknowledge, to resolve. */
export function responseOf(row: IncidentsTable, terms: IncidentTerms, now: Date): IncidentResponse {
  const start = Date.parse(row.opened_at);
  const at = (ts: string | null) => (ts === null ? null : Date.parse(ts));
  return {
    hours: describeSupportHours(terms.supportHours),
    acknowledge: responseClock(
      terms.supportHours,
      start,
      at(row.acknowledged_at) ?? at(row.resolved_at),
      terms.acknowledgeTargetMinutes,
      now.getTime(),
    ),
    resolve: responseClock(terms.supportHours, start, at(row.resolved_at), terms.resolveTargetMinutes, now.getTime()),
  };
}
