import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import type { ChannelKind, ContactMethod, DeliveryLogEntry, NotificationSettings } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialog';
import { SelectField, TextField } from '../../components/field';
import { ChevronIcon, PlusIcon } from '../../components/icons';
import { ScreenHeader, Section } from '../../components/layout';
import { Empty, ErrorNotice, Loading, Notice } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { timeAgo } from '../../features/register/time';
import { METHOD_FIELDS, subscribeThisDevice } from '../../features/notify/method-fields';
import { useMe } from '../../features/session/session';

/** My notification settings: how to reach me, when, quiet hours, and what was sent to me. */
export function NotificationsScreen() {
  const { canManage } = useMe();
  const settings = useApi<NotificationSettings>('/api/me/notifications');
  const log = useApi<{ items: DeliveryLogEntry[] }>('/api/me/deliveries?limit=20');
  const [adding, setAdding] = useState(false);
  const [verifying, setVerifying] = useState<ContactMethod | null>(null);
  const [removing, setRemoving] = useState<ContactMethod | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const reload = useCallback(() => {
    settings.reload();
    log.reload();
  }, [settings, log]);
  const data = settings.data;
  return (
    <>
      <ScreenHeader
        title="Notifications"
        back={{ href: '/settings', label: 'Settings' }}
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            <PlusIcon /> Add
          </Button>
        }
      />
      <ErrorNotice error={settings.error} onRetry={settings.reload} />
      {!data && settings.loading && <Loading />}
      {sent && <Notice tone="ok">{sent}</Notice>}
      {data && (
        <>
          <Section title="How to reach me">
            {data.methods.length === 0 ? (
              <Empty title="No contact methods yet">Pages go to your account's e-mail until you add one.</Empty>
            ) : (
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
                        <Button small variant="primary" onClick={() => setVerifying(m)}>
                          Enter code
                        </Button>
                      )}
                      <SendTest
                        method={m}
                        onSent={(text) => {
                          setSent(text);
                          log.reload();
                        }}
                      />
                      <Button
                        small
                        variant="ghost"
                        className="text-danger"
                        aria-label={`Remove ${m.label}`}
                        onClick={() => setRemoving(m)}
                      >
                        Remove
                      </Button>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <RulesSection data={data} onChange={reload} />
          <QuietHoursSection data={data} onSaved={reload} />
        </>
      )}
      <Section title="Messages sent to me">
        <ErrorNotice error={log.error} onRetry={log.reload} />
        {log.data && log.data.items.length === 0 && <Empty title="Nothing sent to you yet" />}
        {log.data && log.data.items.length > 0 && (
          <ul className="card rows" aria-label="Messages sent to me">
            {log.data.items.map((d) => (
              <li key={d.id} className="row row-static">
                <span className="row-main">
                  <span className="row-title">
                    {d.title} <StatusBadge status={d.status} />
                  </span>
                  <span className="row-meta">
                    {d.methodLabel ?? d.kind} · {timeAgo(d.createdAt)}
                    {d.attempts > 1 && ` · ${d.attempts} attempts`}
                    {d.lastError && d.status !== 'sent' && d.status !== 'delivered' && (
                      <span className="text-danger"> · {d.lastError}</span>
                    )}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      {canManage && (
        <ul className="card rows after-section">
          <li>
            <Link href="/settings/channels" className="row">
              <span className="row-main">
                <span className="row-title">Hub channels</span>
                <span className="row-meta">Outgoing mail server, SMS and voice provider</span>
              </span>
              <ChevronIcon />
            </Link>
          </li>
        </ul>
      )}
      {adding && data && (
        <AddMethodDialog
          data={data}
          onClose={() => setAdding(false)}
          onAdded={(m) => {
            setAdding(false);
            setSent(`We sent a code to ${m.summary}. Enter it to start getting alerts there.`);
            reload();
            setVerifying(m);
          }}
        />
      )}
      {verifying && (
        <VerifyDialog
          method={verifying}
          onClose={() => setVerifying(null)}
          onDone={() => {
            setVerifying(null);
            setSent(null);
            reload();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.label}?`}
          message={<p>Pages will no longer go to {removing.summary}.</p>}
          confirmLabel="Remove"
          onConfirm={() => api.del(`/api/me/contact-methods/${removing.id}`)}
          onClose={() => setRemoving(null)}
          onDone={reload}
        />
      )}
    </>
  );
}

function kindLabel(data: NotificationSettings, kind: ChannelKind): string {
  return data.channels.find((c) => c.kind === kind)?.label ?? kind;
}

function MethodBadge({ method }: { method: ContactMethod }) {
  if (method.brokenAt) return <span className="badge badge-danger">Not working</span>;
  if (!method.verified) return <span className="badge badge-muted">Not verified</span>;
  return null;
}

const STATUS_TEXT: Record<DeliveryLogEntry['status'], [string, string]> = {
  queued: ['Waiting', 'badge-muted'],
  sending: ['Sending', 'badge-info'],
  sent: ['Sent', 'badge-ok'],
  delivered: ['Delivered', 'badge-ok'],
  failed: ['Failed', 'badge-danger'],
  cancelled: ['Not needed', 'badge-muted'],
  may_have_been_sent: ['May have been sent', 'badge-info'],
};

function StatusBadge({ status }: { status: DeliveryLogEntry['status'] }) {
  const [text, tone] = STATUS_TEXT[status];
  return <span className={`badge ${tone}`}>{text}</span>;
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

function AddMethodDialog({
  data,
  onClose,
  onAdded,
}: {
  data: NotificationSettings;
  onClose: () => void;
  onAdded: (m: ContactMethod) => void;
}) {
  const [kind, setKind] = useState<ChannelKind>('email');
  const [label, setLabel] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [pushError, setPushError] = useState<string | null>(null);
  const fieldsOf = kind === 'push' ? [] : METHOD_FIELDS[kind];
  const { busy, error, fields, submit } = useSubmit(async () => {
    let settings: object;
    if (kind === 'push') {
      const { publicKey } = await api.get<{ publicKey: string | null }>('/api/notify/push-key');
      if (!publicKey) throw new Error('The hub has no push keys yet');
      settings = await subscribeThisDevice(publicKey);
    } else {
      settings = Object.fromEntries(
        Object.entries(values).filter(([name, v]) => v !== '' && fieldsOf.some((f) => f.name === name)),
      );
    }
    return api.post<ContactMethod>('/api/me/contact-methods', {
      kind,
      label: label || defaultLabel(data, kind),
      settings,
    });
  }, onAdded);
  return (
    <Dialog title="Add a contact method" onClose={onClose}>
      <form
        onSubmit={(e) => {
          setPushError(null);
          submit(e);
        }}
        noValidate
      >
        <ErrorNotice error={error} />
        {pushError && <Notice tone="warn">{pushError}</Notice>}
        <SelectField
          label="Kind"
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as ChannelKind);
            setValues({});
          }}
          options={data.channels.map((c) => ({
            value: c.kind,
            label: c.available ? c.label : `${c.label} (not set up on the hub)`,
          }))}
        />
        <TextField
          label="Name"
          value={label}
          placeholder={defaultLabel(data, kind)}
          onChange={(e) => setLabel(e.target.value)}
          error={fields['label']}
        />
        {kind === 'push' && <p className="muted small">This phone will ask to allow notifications.</p>}
        {fieldsOf.map((f) => (
          <TextField
            key={`${kind}-${f.name}`}
            label={f.optional ? `${f.label} (optional)` : f.label}
            type={f.type ?? 'text'}
            placeholder={f.placeholder}
            hint={f.hint}
            value={values[f.name] ?? ''}
            onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
            error={fields[`settings.${f.name}`]}
            autoComplete="off"
          />
        ))}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Add and send code
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function defaultLabel(data: NotificationSettings, kind: ChannelKind): string {
  return kind === 'push' ? 'This phone' : kindLabel(data, kind);
}

function VerifyDialog({ method, onClose, onDone }: { method: ContactMethod; onClose: () => void; onDone: () => void }) {
  const [code, setCode] = useState('');
  const { busy, error, fields, submit } = useSubmit(
    () => api.post(`/api/me/contact-methods/${method.id}/verify`, { code }),
    onDone,
  );
  return (
    <Dialog title={`Verify ${method.label}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="muted">Enter the 6-digit code we sent to {method.summary}.</p>
        <TextField
          label="Code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          error={fields['code'] ?? (error && !fields['code'] ? error.message : undefined)}
          autoFocus
        />
        <DialogActions>
          <Button onClick={onClose}>Later</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Verify
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function RulesSection({ data, onChange }: { data: NotificationSettings; onChange: () => void }) {
  const [urgency, setUrgency] = useState<'high' | 'low'>('high');
  const usable = data.methods.filter((m) => m.verified);
  const [methodId, setMethodId] = useState('');
  const [delay, setDelay] = useState('0');
  const rules = data.rules.filter((r) => r.urgency === urgency);
  const label = (id: string) => data.methods.find((m) => m.id === id)?.label ?? 'a removed method';
  const { busy, error, fields, submit } = useSubmit(
    () =>
      api.post('/api/me/notification-rules', {
        methodId: methodId || usable[0]?.id,
        delayMinutes: Number(delay),
        urgency,
      }),
    onChange,
  );
  return (
    <Section title="When I'm paged">
      <Segmented
        label="Urgency"
        value={urgency}
        choices={[
          ['high', 'Pages'],
          ['low', 'Other messages'],
        ]}
        onChange={setUrgency}
      />
      {rules.length === 0 ? (
        <p className="muted small">
          No rules: {urgency === 'high' ? 'pages go' : 'messages go'} to every verified method at once.
        </p>
      ) : (
        <ul className="card rows" aria-label={urgency === 'high' ? 'Page rules' : 'Message rules'}>
          {rules.map((r) => (
            <li key={r.id} className="row row-static">
              <span className="row-main">
                <span className="row-title">
                  {label(r.methodId)} {r.delayMinutes === 0 ? 'at once' : `after ${r.delayMinutes} min`}
                </span>
              </span>
              <span className="row-actions">
                <Button
                  small
                  variant="ghost"
                  className="text-danger"
                  aria-label={`Remove rule ${label(r.methodId)} ${r.delayMinutes}`}
                  onClick={() => void api.del(`/api/me/notification-rules/${r.id}`).then(onChange)}
                >
                  Remove
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {usable.length > 0 && (
        <form className="inline-form" onSubmit={submit} noValidate>
          <ErrorNotice error={error} />
          <SelectField
            label="Reach me on"
            value={methodId || usable[0]?.id}
            onChange={(e) => setMethodId(e.target.value)}
            options={usable.map((m) => ({ value: m.id, label: m.label }))}
            error={fields['methodId']}
          />
          <TextField
            label="After (minutes)"
            type="number"
            inputMode="numeric"
            min={0}
            max={240}
            value={delay}
            onChange={(e) => setDelay(e.target.value)}
            error={fields['delayMinutes']}
          />
          <Button type="submit" busy={busy}>
            Add rule
          </Button>
        </form>
      )}
    </Section>
  );
}

function QuietHoursSection({ data, onSaved }: { data: NotificationSettings; onSaved: () => void }) {
  const [start, setStart] = useState(data.quietHours.start ?? '');
  const [end, setEnd] = useState(data.quietHours.end ?? '');
  const timeZone = data.quietHours.start ? data.quietHours.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone;
  const { busy, error, fields, submit } = useSubmit(
    () => api.put('/api/me/quiet-hours', { start: start || null, end: end || null, timeZone }),
    onSaved,
  );
  return (
    <Section title="Quiet hours">
      <p className="muted small">Other messages wait until quiet hours end. Pages always come through.</p>
      <form className="inline-form" onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField
          label="From"
          type="time"
          value={start}
          onChange={(e) => setStart(e.target.value)}
          error={fields['start']}
        />
        <TextField
          label="Until"
          type="time"
          value={end}
          onChange={(e) => setEnd(e.target.value)}
          error={fields['end']}
        />
        <Button type="submit" busy={busy}>
          Save
        </Button>
      </form>
      <p className="muted small">Times in {timeZone}.</p>
    </Section>
  );
}
