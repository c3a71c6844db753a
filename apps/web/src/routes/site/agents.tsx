import { useState } from 'react';
import { api } from '../../api/client';
import type { Agent, AgentEnrolment, AgentStatus } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialog';
import { TextField } from '../../components/field';
import { PlusIcon } from '../../components/icons';
import { Section } from '../../components/layout';
import { Empty, ErrorNotice, Notice } from '../../components/notice';
import { clockTime, duration } from '../../features/monitoring/state';
import { formatDateTime, timeAgo } from '../../features/register/time';

const STATUS_LABELS: Record<AgentStatus, string> = {
  pending: 'Waiting to enrol',
  online: 'Online',
  unreachable: 'Unreachable',
  revoked: 'Revoked',
};
const STATUS_DOT: Record<AgentStatus, string> = {
  pending: 'unknown',
  online: 'up',
  unreachable: 'down',
  revoked: 'paused',
};

/** The site's agents: status, last seen, version; owners and admins add, rotate and revoke them. */
export function AgentsSection({
  siteId,
  siteName,
  agents,
  canManage,
  now,
  onChanged,
}: {
  siteId: string;
  siteName: string;
  agents: readonly Agent[];
  canManage: boolean;
  now: Date;
  onChanged: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const [enrolment, setEnrolment] = useState<AgentEnrolment | null>(null);
  const [confirm, setConfirm] = useState<{ agent: Agent; action: 'revoke' | 'rotate' | 'delete' } | null>(null);
  const shown = (e: AgentEnrolment) => {
    setEnrolment(e);
    onChanged();
  };
  return (
    <Section
      title="Agents"
      actions={
        canManage && (
          <Button small variant="primary" onClick={() => setAdding(true)}>
            <PlusIcon /> Add agent
          </Button>
        )
      }
    >
      {agents.length === 0 ? (
        <Empty title="No site agent">
          <p>
            An agent is a small program on a PC, NAS or Raspberry Pi at the office. It checks what the hub cannot reach
            from outside.
          </p>
        </Empty>
      ) : (
        <ul className="card rows" aria-label="Agents">
          {agents.map((a) => (
            <li key={a.id} className="row row-static agent">
              <span className={`dot dot-${STATUS_DOT[a.status]}`} aria-hidden="true" />
              <span className="row-main">
                <span className="row-title">
                  {a.name} <span className={`tone tone-${STATUS_DOT[a.status]}`}>{STATUS_LABELS[a.status]}</span>
                </span>
                <span className="row-meta">
                  {a.status === 'unreachable' &&
                    `Since ${clockTime(a.statusSince, now)} (${duration(a.statusSince, now)}) · `}
                  {a.status === 'pending'
                    ? a.enrolExpiresAt
                      ? `Enrolment code valid until ${formatDateTime(a.enrolExpiresAt)}`
                      : 'Not enrolled'
                    : `Last seen ${timeAgo(a.lastSeenAt, now)}`}
                  {a.version && ` · version ${a.version}`}
                  {a.outdated && (
                    <>
                      {' · '}
                      <span className="tone tone-degraded">older than the hub’s: run the install command again</span>
                    </>
                  )}
                  {a.hostname && ` · ${a.hostname}`}
                  {` · ${a.checkCount} check${a.checkCount === 1 ? '' : 's'}`}
                  {a.backlog ? ` · ${a.backlog} results waiting` : ''}
                </span>
              </span>
              {canManage && a.status !== 'revoked' && (
                <span className="row-actions">
                  <Button
                    small
                    variant="ghost"
                    aria-label={`New enrolment code for ${a.name}`}
                    onClick={() => setConfirm({ agent: a, action: 'rotate' })}
                  >
                    Rotate
                  </Button>
                  <Button
                    small
                    variant="ghost"
                    className="text-danger"
                    aria-label={`Revoke agent ${a.name}`}
                    onClick={() => setConfirm({ agent: a, action: 'revoke' })}
                  >
                    Revoke
                  </Button>
                </span>
              )}
              {canManage && a.status === 'revoked' && (
                <span className="row-actions">
                  <Button
                    small
                    variant="ghost"
                    className="text-danger"
                    aria-label={`Delete agent ${a.name}`}
                    onClick={() => setConfirm({ agent: a, action: 'delete' })}
                  >
                    Delete
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {adding && (
        <AddAgentDialog
          siteId={siteId}
          siteName={siteName}
          onClose={() => setAdding(false)}
          onCreated={(e) => {
            setAdding(false);
            shown(e);
          }}
        />
      )}
      {enrolment && <EnrolmentDialog enrolment={enrolment} onClose={() => setEnrolment(null)} />}
      {confirm?.action === 'revoke' && (
        <ConfirmDialog
          title={`Revoke ${confirm.agent.name}?`}
          message={
            <p>
              Its token stops working at once and it is disconnected. Its {confirm.agent.checkCount} checks stop running
              until you add another agent. This cannot be undone.
            </p>
          }
          confirmLabel="Revoke agent"
          onConfirm={() => api.post(`/api/agents/${confirm.agent.id}/revoke`)}
          onClose={() => setConfirm(null)}
          onDone={onChanged}
        />
      )}
      {confirm?.action === 'rotate' && (
        <RotateDialog
          agent={confirm.agent}
          onClose={() => setConfirm(null)}
          onRotated={(e) => {
            setConfirm(null);
            shown(e);
          }}
        />
      )}
      {confirm?.action === 'delete' && (
        <ConfirmDialog
          title={`Delete ${confirm.agent.name}?`}
          message={<p>The revoked agent is removed from this site.</p>}
          confirmLabel="Delete agent"
          onConfirm={() => api.del(`/api/agents/${confirm.agent.id}`)}
          onClose={() => setConfirm(null)}
          onDone={onChanged}
        />
      )}
    </Section>
  );
}

function AddAgentDialog({
  siteId,
  siteName,
  onClose,
  onCreated,
}: {
  siteId: string;
  siteName: string;
  onClose: () => void;
  onCreated: (e: AgentEnrolment) => void;
}) {
  const [name, setName] = useState('');
  const { busy, error, fields, submit } = useSubmit(
    () => api.post<AgentEnrolment>('/api/agents', { siteId, name: name.trim() || `${siteName} agent` }),
    onCreated,
  );
  return (
    <Dialog title="Add agent" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField
          label="Agent name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          placeholder={`${siteName} agent`}
          hint="Where it runs, e.g. “Reception PC” or “NAS”."
          autoFocus
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Create agent
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function RotateDialog({
  agent,
  onClose,
  onRotated,
}: {
  agent: Agent;
  onClose: () => void;
  onRotated: (e: AgentEnrolment) => void;
}) {
  const { busy, error, submit } = useSubmit(
    () => api.post<AgentEnrolment>(`/api/agents/${agent.id}/rotate`),
    onRotated,
  );
  return (
    <Dialog title={`New enrolment code for ${agent.name}?`} onClose={onClose}>
      <ErrorNotice error={error} />
      <p>
        The agent’s current token stops working at once. Run the new enrolment command on its machine to connect it
        again.
      </p>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" busy={busy} onClick={() => submit()}>
          Rotate agent token
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function EnrolmentDialog({ enrolment, onClose }: { enrolment: AgentEnrolment; onClose: () => void }) {
  return (
    <Dialog title="Install the agent" onClose={onClose} wide>
      <p>
        On a Linux PC, NAS or Raspberry Pi at the office, as root. It installs the agent as a service, enrols it and
        starts it.
      </p>
      <div className="secret secret-block">
        <code aria-label="Install command">{enrolment.command}</code>
        <CopyButton text={enrolment.command} label="Copy command" />
      </div>
      <Notice tone="warn">
        <strong>Shown once.</strong> The code in it works once, until {formatDateTime(enrolment.enrolExpiresAt)}.
      </Notice>
      {enrolment.hubUrlWarning && (
        <Notice tone="warn">
          <strong>Check the hub’s address.</strong> {enrolment.hubUrlWarning}
        </Notice>
      )}
      <p className="muted small">
        The agent dials out to the hub: no firewall rule is needed. Run the same command again later to upgrade; the
        agent keeps its identity.
      </p>
      <details className="small">
        <summary>Windows, or any machine with Node.js 20</summary>
        <p>
          Download <a href={`${enrolment.hubUrl}/agent/afterhours-agent.cjs`}>afterhours-agent.cjs</a>, then run:
        </p>
        <div className="secret secret-block">
          <code aria-label="Node.js command">{enrolment.nodeCommand}</code>
          <CopyButton text={enrolment.nodeCommand} label="Copy Node.js command" />
        </div>
      </details>
      <p className="small">
        <a href="/docs/agent" target="_blank" rel="noreferrer">
          Agent guide
        </a>{' '}
        — installing, running as a Windows service, what it keeps on disk.
      </p>
      <DialogActions>
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
