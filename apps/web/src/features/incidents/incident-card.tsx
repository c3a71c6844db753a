import { Link } from 'wouter';
import type { IncidentSummary } from '@afterhours/shared';
import { clockTime } from '../../lib/date-format';
import { clockClass, clockLine, SEVERITY_LABEL, STATUS_LABEL } from './labels';

/** One incident in a list: number, client and site, status, who has it, the clock that matters now. */
export function IncidentCard({ incident, now }: { incident: IncidentSummary; now: Date }) {
  const clock = incident.acknowledgedAt ? incident.response.resolve : incident.response.acknowledge;
  const where = [incident.clientName, ...incident.sites.map((s) => s.name)].join(' · ');
  return (
    <li className={`card incident-card is-${incident.status} sev-${incident.severity}`}>
      <Link href={`/incidents/${incident.id}`} className="incident-card-main">
        <span className="incident-state">
          #{incident.number} · {STATUS_LABEL[incident.status]} · {SEVERITY_LABEL[incident.severity]}
        </span>
        <span className="row-title">{incident.title}</span>
        <span className="row-meta">{where}</span>
        <span className="row-meta">
          Opened {clockTime(incident.openedAt, now)}
          {incident.owner ? ` · ${incident.owner.name} has it` : incident.acknowledgedAt ? '' : ' · nobody has it yet'}
        </span>
        {incident.status !== 'resolved' && (
          <span className={clockClass(clock)}>
            {clockLine(incident.acknowledgedAt ? 'resolve' : 'acknowledge', clock)}
          </span>
        )}
        {incident.overdueTasks > 0 && (
          <span className="incident-overdue">
            {incident.overdueTasks} overdue task{incident.overdueTasks === 1 ? '' : 's'}
          </span>
        )}
      </Link>
    </li>
  );
}
