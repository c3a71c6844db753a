import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/layout';
import { EditDeleteActions, useListEditor } from '../../components/list-editor';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { PolicyDialog } from '../../features/escalation/policy-dialog';
import { describeSteps, type EscalationPolicy, useTargetChoices } from '../../features/escalation/targets';
import { useMe } from '../../features/session/session';
import './oncall.css';

/** Escalation policies: who is paged in what order while nobody acknowledges; owners and admins edit them. */
export function PoliciesScreen() {
  const { canManage } = useMe();
  const { data, error, loading, reload } = useApi<{ items: EscalationPolicy[] }>('/api/escalation-policies');
  const choices = useTargetChoices();
  const editor = useListEditor<EscalationPolicy>({
    reload,
    dialog: (policy, close, done) => <PolicyDialog policy={policy} choices={choices} onClose={close} onDone={done} />,
    deletion: (policy) => ({
      title: `Delete ${policy.name}?`,
      message: (
        <p>
          Clients whose contract names it will be paged by the default policy. Alerts already escalating keep their
          copy.
        </p>
      ),
      confirmLabel: 'Delete policy',
      remove: () => api.del(`/api/escalation-policies/${policy.id}`),
    }),
  });
  return (
    <>
      <ScreenHeader
        title="Escalation policies"
        back={{ href: '/oncall', label: 'On call' }}
        actions={
          canManage && (
            <Button variant="primary" aria-label="New policy" onClick={editor.add}>
              <PlusIcon /> New
            </Button>
          )
        }
      />
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data && data.items.length === 0 && (
        <Empty title="No policies yet">
          <p>Without one, every owner and admin is paged for an alert.</p>
        </Empty>
      )}
      {data?.items.map((p) => (
        <section key={p.id} className="card oncall-card" aria-label={p.name}>
          <div className="oncall-head">
            <h2>{p.name}</h2>
            {p.isDefault && <span className="badge">Default</span>}
          </div>
          <ol className="policy-lines">
            {describeSteps(p, choices).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
          {canManage && (
            <EditDeleteActions
              name={p.name}
              editVariant="secondary"
              onEdit={() => editor.edit(p)}
              onDelete={() => editor.remove(p)}
            />
          )}
        </section>
      ))}
      {editor.dialogs}
    </>
  );
}
