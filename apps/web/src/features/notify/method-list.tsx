import { api } from '../../api/client';
import type { ChannelKind, ContactMethod, NotificationSettings } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Empty } from '../../components/notice';

/** The person's contact methods, each with its state and what can be done with it now. */
export function MethodList({
  data,
  onVerify,
  onRemove,
  onSent,
}: {
  data: NotificationSettings;
  onVerify: (method: ContactMethod) => void;
  onRemove: (method: ContactMethod) => void;
  onSent: (text: string) => void;
}) {
  if (data.methods.length === 0)
    return <Empty title="No contact methods yet">Pages go to your account's e-mail until you add one.</Empty>;
  return (
    <ul className="card rows" aria-label="Contact methods">
      {data.methods.map((m) => (
        <li key={m.id} className="row row-static">
          <span className="row-main">
            <span className="row-title">
              {m.label} <MethodBadge method={m} />
            </span>
            <span className="row-meta">
              {kindLabel(data, m.kind)} · {m.summary}
              {m.brokenReason && <span className="text-danger"> · {m.brokenReason}</span>}
            </span>
          </span>
          <span className="row-actions">
            {!m.verified && (
              <Button small variant="primary" onClick={() => onVerify(m)}>
                Enter code
              </Button>
            )}
            <SendTest method={m} onSent={onSent} />
            <Button
              small
              variant="ghost"
              className="text-danger"
              aria-label={`Remove ${m.label}`}
              onClick={() => onRemove(m)}
            >
              Remove
            </Button>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function kindLabel(data: NotificationSettings, kind: ChannelKind): string {
  return data.channels.find((c) => c.kind === kind)?.label ?? kind;
}

function MethodBadge({ method }: { method: ContactMethod }) {
  if (method.brokenAt) return <span className="badge badge-danger">Not working</span>;
  if (!method.verified) return <span className="badge badge-muted">Not verified</span>;
  return null;
}

function SendTest({ method, onSent }: { method: ContactMethod; onSent: (text: string) => void }) {
  const { busy, error, submit } = useSubmit(
    () => api.post(`/api/me/contact-methods/${method.id}/test`),
    () => onSent(method.verified ? `Test sent to ${method.label}.` : `A new code is on its way to ${method.summary}.`),
  );
  return (
    <>
      <Button small busy={busy} onClick={() => submit()} aria-label={`Send a test to ${method.label}`}>
        {method.verified ? 'Test' : 'New code'}
      </Button>
      {error && <span className="text-danger small">{error.message}</span>}
    </>
  );
}
