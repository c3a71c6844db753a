import { useEffect, useState } from 'react';
import type { TemplateSummary } from '@afterhours/shared';
import type { z } from 'zod';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { OtherFieldErrors, otherFieldErrors, TextAreaField } from '../../components/field';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useMe } from '../../features/session/session';
import '../../features/checklists/checklists.css';

type Template = z.infer<typeof TemplateSummary>;

const EXAMPLE = `name: Systems checklist
description: After power comes back, and every Monday before opening
sections:
  - title: In the office
    steps:
      - key: server-room
        title: Look at the server room
        kind: manual
        instructions: No alarms, no smell, all lights green
  - title: Systems
    steps:
      - key: all-up
        title: Every check at the site is up
        kind: all-up
      - key: backup
        title: Last night's backup succeeded
        kind: heartbeat-fresh
        target: { heartbeat: Nightly offsite backup }
        withinHours: 24
      - key: ups
        title: UPS on line
        kind: ups-on-line
      - key: agent
        title: Site agent online
        kind: agent-online
`;

/** The firm's checklists, written (and kept in git) as YAML: new, change, copy out. */
export function ChecklistsScreen() {
  const { canEdit } = useMe();
  const { data, error, loading, reload } = useApi<{ items: Template[] }>('/api/checklists');
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  return (
    <>
      <ScreenHeader
        title="Checklists"
        back={{ href: '/settings', label: 'Settings' }}
        actions={
          canEdit && (
            <Button variant="primary" onClick={() => setEditing('new')}>
              New
            </Button>
          )
        }
      />
      <ErrorNotice error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <Empty title="No checklists yet" />}
      <ul className="rows">
        {data?.items.map((t) => (
          <li key={t.id} className="row">
            <div className="row-main">
              <span className="row-title">{t.name}</span>
              <span className="row-meta muted">
                {t.siteName ? `Only at ${t.siteName}` : 'Every site'} · version {t.version} · {t.steps} steps (
                {t.automaticSteps} automatic)
              </span>
            </div>
            {canEdit && (
              <Button small onClick={() => setEditing(t)}>
                Edit
              </Button>
            )}
          </li>
        ))}
      </ul>
      {editing && (
        <YamlDialog
          template={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </>
  );
}

function YamlDialog({
  template,
  onClose,
  onSaved,
}: {
  template: Template | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [yaml, setYaml] = useState(template ? '' : EXAMPLE);
  const [loaded, setLoaded] = useState(!template);
  useEffect(() => {
    if (!template) return;
    void api.get<{ yaml: string }>(`/api/checklists/${template.id}/yaml`).then(
      (r) => {
        setYaml(r.yaml);
        setLoaded(true);
      },
      () => setLoaded(true),
    );
  }, [template]);
  const save = useSubmit(
    () =>
      template
        ? api.put(`/api/checklists/${template.id}/yaml`, { yaml })
        : api.post('/api/checklists/import', { yaml }),
    onSaved,
  );
  return (
    <Dialog title={template ? `Edit ${template.name}` : 'New checklist'} onClose={onClose} wide>
      <form onSubmit={save.submit}>
        <ErrorNotice error={save.error} />
        {loaded ? (
          <TextAreaField
            label="Checklist (YAML)"
            className="field-code"
            value={yaml}
            onChange={(e) => setYaml(e.target.value)}
            rows={18}
            spellCheck={false}
            error={save.fields.yaml}
            hint="Step kinds: manual, check (target: { check: name }), all-up, heartbeat-fresh (target: { heartbeat: name }), ups-on-line, agent-online. Copy it to keep it in git."
          />
        ) : (
          <Loading />
        )}
        <OtherFieldErrors others={otherFieldErrors(save.fields, ['yaml'])} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
