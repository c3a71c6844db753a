import type { IncidentReport } from '../../api/types';
import { reportDays } from '../../features/updates/report-days';
import { dateFormat, formatDateTime } from '../../lib/date-format';
import '../../features/updates/updates.css';

const STATUS: Record<IncidentReport['status'], string> = {
  investigating: 'Investigating',
  identified: 'Cause identified',
  monitoring: 'Fixed, being watched',
  resolved: 'Resolved',
};

const SYSTEM_STATE: Record<string, { label: string; badge: string }> = {
  up: { label: 'Working', badge: 'badge-ok' },
  degraded: { label: 'Degraded', badge: 'badge-info' },
  down: { label: 'Down', badge: 'badge-danger' },
  unknown: { label: 'Unknown', badge: 'badge-muted' },
  paused: { label: 'Not watched', badge: 'badge-muted' },
  none: { label: 'Not monitored', badge: 'badge-muted' },
};

type Clock = IncidentReport['response']['acknowledge'];

/** "12 min", "3 h 05 min" */
function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${String(m).padStart(2, '0')} min` : `${h} h`;
}

function clockLine(clock: Clock): string {
  const target = clock.targetMinutes === null ? '' : ` (target ${duration(clock.targetMinutes)})`;
  const verdict: Record<Clock['state'], string> = {
    none: '',
    running: ' — in progress',
    paused: ' — paused outside support hours',
    met: ' — met',
    breached: ' — target missed',
  };
  return `${duration(clock.elapsedMinutes)}${target}${verdict[clock.state]}`;
}

/**
 * An incident's report as the client reads it, on a phone or printed to PDF: what happened, how long the
 * response took, every affected system's state now, and what was done, day by day, in the site's time zone.
 */
export function IncidentReportView({ report }: { report: IncidentReport }) {
  const zone = report.timeZone;
  // Two formatters for thousands of lines: "Saturday 5 December 2026" heads each day, "14:05" each line.
  const dayOf = dateFormat({ timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const timeOf = dateFormat({ timeZone: zone, hour: '2-digit', minute: '2-digit' });
  const days = reportDays(report.timeline, dayOf, timeOf);
  const who = (name: string | null) => (name ? ` by ${name}` : '');
  return (
    <article className="report" aria-label="Incident report">
      <header className="report-head">
        <p className="report-kicker">
          Incident report · {report.clientName}
          {report.sites.length > 0 && ` · ${report.sites.map((s) => s.name).join(', ')}`}
        </p>
        <h1>
          #{report.number} {report.title}
        </h1>
        <p>
          <span className={`badge ${report.status === 'resolved' ? 'badge-ok' : 'badge-info'}`}>
            {STATUS[report.status]}
          </span>{' '}
          <span className="muted small">Severity: {report.severity}</span>
        </p>
      </header>

      <section className="report-part" aria-labelledby="report-what">
        <h2 id="report-what">What happened</h2>
        <p className="pre">{report.summary}</p>
        <dl className="report-facts">
          <div>
            <dt>Reported</dt>
            <dd>
              {formatDateTime(report.openedAt, zone)}
              {who(report.openedBy)}
            </dd>
          </div>
          <div>
            <dt>Taken in hand</dt>
            <dd>
              {report.acknowledgedAt
                ? `${formatDateTime(report.acknowledgedAt, zone)}${who(report.acknowledgedBy)}`
                : '—'}
            </dd>
          </div>
          <div>
            <dt>Resolved</dt>
            <dd>
              {report.resolvedAt ? `${formatDateTime(report.resolvedAt, zone)}${who(report.resolvedBy)}` : 'Not yet'}
            </dd>
          </div>
        </dl>
      </section>

      <section className="report-part" aria-labelledby="report-response">
        <h2 id="report-response">Response times</h2>
        <dl className="report-facts">
          <div>
            <dt>To take in hand</dt>
            <dd>{clockLine(report.response.acknowledge)}</dd>
          </div>
          <div>
            <dt>To resolve</dt>
            <dd>{clockLine(report.response.resolve)}</dd>
          </div>
          <div>
            <dt>Counted in</dt>
            <dd>{report.response.hours}</dd>
          </div>
        </dl>
      </section>

      {report.systems.length > 0 && (
        <section className="report-part" aria-labelledby="report-systems">
          <h2 id="report-systems">Systems now</h2>
          <ul className="report-systems" aria-label="Affected systems">
            {report.systems.map((s) => {
              const state = SYSTEM_STATE[s.state] ?? { label: s.state, badge: 'badge-muted' };
              return (
                <li key={`${s.site}-${s.name}`}>
                  <span>
                    {s.name} <span className="muted small">{s.site}</span>
                  </span>
                  <span className={`badge ${state.badge}`}>{state.label}</span>
                </li>
              );
            })}
          </ul>
          <p className="muted small">As of {formatDateTime(report.generatedAt, zone)}.</p>
        </section>
      )}

      <section className="report-part" aria-labelledby="report-done">
        <h2 id="report-done">What was done</h2>
        {days.map((d) => (
          <div key={d.day} className="report-day">
            <h3>{d.day}</h3>
            <ol className="report-timeline">
              {d.lines.map(({ entry: e, time }, i) => (
                <li key={i}>
                  <time dateTime={e.at}>{time}</time>
                  <span>
                    {e.text}
                    {e.who && <span className="muted"> — {e.who}</span>}
                  </span>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </section>
      <footer className="muted small report-foot">
        Times in {zone}. Report made {formatDateTime(report.generatedAt, zone)}.
      </footer>
    </article>
  );
}
