import { useState } from 'react';
import { api } from '../../api/client';
import type { ChannelKind, ContactMethod, NotificationSettings } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';
import { METHOD_FIELDS, subscribeThisDevice } from './method-fields';
import { kindLabel } from './method-list';

export function AddMethodDialog({
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
