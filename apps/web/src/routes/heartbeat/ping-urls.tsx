import type { Heartbeat } from '../../api/types';
import { CopyButton } from '../../components/copy-button';
import { Section } from '../../components/layout';

/** The heartbeat's ping URLs with copy buttons, and a backup script that calls them. */
export function PingUrlsSection({ heartbeat: h }: { heartbeat: Heartbeat }) {
  const origin = window.location.origin;
  const url = `${origin}${h.pingPath}`;
  const slugUrl = h.slugPath ? `${origin}${h.slugPath}` : null;
  const script = [
    '#!/bin/sh',
    `URL=${slugUrl ?? url}`,
    'RID=$(cat /proc/sys/kernel/random/uuid)',
    '',
    '# When the job starts:',
    'curl -fsS -m 10 --retry 5 "$URL/start?rid=$RID" > /dev/null',
    'OUTPUT=$(/usr/local/bin/backup 2>&1)',
    'STATUS=$?',
    '# When it ends: 0 is success, 1-255 failure; the output is kept with the ping.',
    'curl -fsS -m 10 --retry 5 --data-raw "$OUTPUT" "$URL/$STATUS?rid=$RID" > /dev/null',
  ].join('\n');
  const examples = [
    ['Start', `curl -fsS -m 10 --retry 5 ${url}/start`],
    ['Success', `curl -fsS -m 10 --retry 5 ${url}`],
    ['Failure', `curl -fsS -m 10 --retry 5 ${url}/fail`],
    ['Exit code', `curl -fsS -m 10 --retry 5 ${url}/$?`],
  ] as const;
  return (
    <>
      <Section title="Ping URLs">
        <div className="card ping-urls">
          <PingUrl label="Ping URL" url={url} copyLabel="Copy ping URL" />
          {slugUrl ? (
            <PingUrl label="Slug URL" url={slugUrl} copyLabel="Copy slug URL" />
          ) : (
            <p className="small muted">
              {h.slug
                ? 'A slug URL needs the client’s ping key: make one on the client’s screen.'
                : 'Give it a slug (Edit) and the client a ping key for a readable URL.'}
            </p>
          )}
          <p className="small muted">
            Add <code>/start</code>, <code>/fail</code>, <code>/log</code> or <code>/&lt;exit status&gt;</code>; HEAD,
            GET or POST. Scripts written for healthchecks.io work with this base URL.
          </p>
        </div>
      </Section>
      <Section title="In a backup script" actions={<CopyButton text={script} label="Copy script" />}>
        <pre className="card script" aria-label="Backup script">
          {script}
        </pre>
        <dl className="card examples">
          {examples.map(([label, cmd]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>
                <code>{cmd}</code>
              </dd>
            </div>
          ))}
        </dl>
      </Section>
    </>
  );
}

function PingUrl({ label, url, copyLabel }: { label: string; url: string; copyLabel: string }) {
  return (
    <div className="ping-url">
      <span className="ping-url-label small muted">{label}</span>
      <div className="secret">
        <code aria-label={label}>{url}</code>
        <CopyButton text={url} label={copyLabel} />
      </div>
    </div>
  );
}
