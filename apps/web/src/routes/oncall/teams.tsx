import { useState } from 'react';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField, TextField } from '../../components/field';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/layout';
import { EditDeleteActions, useListEditor } from '../../components/list-editor';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import type { Person, Team } from '../../features/oncall/types';
import { useMe } from '../../features/session/session';

/** Teams (escalation can page everyone in one); owners and admins edit them. */
export function TeamsScreen() {
  const { canManage } = useMe();
  const { data, error, loading, reload } = useApi<{ items: Team[] }>('/api/teams');
  const editor = useListEditor<Team>({
    reload,
    dialog: (team, close, done) => <TeamDialog team={team} onClose={close} onDone={done} />,
    deletion: (team) => ({
      title: `Delete ${team.name}?`,
      message: <p>Escalation steps that page this team will page nobody.</p>,
      confirmLabel: 'Delete team',
      remove: () => api.del(`/api/teams/${team.id}`),
    }),
  });
  return (
    <>
      <ScreenHeader
        title="Teams"
        back={{ href: '/oncall', label: 'On call' }}
        actions={
          canManage && (
            <Button variant="primary" aria-label="New team" onClick={editor.add}>
              <PlusIcon /> New
            </Button>
          )
        }
      />
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data && data.items.length === 0 && <Empty title="No teams yet" />}
      {data && data.items.length > 0 && (
        <ul className="card rows" aria-label="Teams">
          {data.items.map((t) => (
            <li key={t.id} className="row row-static">
              <span className="row-main">
                <span className="row-title">{t.name}</span>
                <span className="row-meta">{t.members.map((m) => m.name).join(', ') || 'No members'}</span>
              </span>
              {canManage && (
                <EditDeleteActions name={t.name} onEdit={() => editor.edit(t)} onDelete={() => editor.remove(t)} />
              )}
            </li>
          ))}
        </ul>
      )}
      {editor.dialogs}
    </>
  );
}

function TeamDialog({ team, onClose, onDone }: { team: Team | null; onClose: () => void; onDone: () => void }) {
  const people = useApi<{ items: Person[] }>('/api/oncall/people', { live: false });
  const [name, setName] = useState(team?.name ?? '');
  const [members, setMembers] = useState<string[]>(team?.members.map((m) => m.id) ?? []);
  const { busy, error, fields, submit } = useSubmit(
    () =>
      team
        ? api.patch(`/api/teams/${team.id}`, { name, memberIds: members })
        : api.post('/api/teams', { name, memberIds: members }),
    onDone,
  );
  return (
    <Dialog title={team ? `Edit ${team.name}` : 'New team'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields['name']} />
        <fieldset className="fieldset">
          <legend>Members</legend>
          {people.data?.items.map((p) => (
            <CheckboxField
              key={p.id}
              label={p.name}
              checked={members.includes(p.id)}
              onChange={(on) => setMembers((m) => (on ? [...m, p.id] : m.filter((id) => id !== p.id)))}
            />
          ))}
        </fieldset>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            {team ? 'Save' : 'Make team'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
