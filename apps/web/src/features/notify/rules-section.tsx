import { useState } from 'react';
import { api } from '../../api/client';
import type { NotificationSettings } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { SelectField, TextField } from '../../components/field';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';
import { Segmented } from '../../components/segmented';

export function RulesSection({ data, onChange }: { data: NotificationSettings; onChange: () => void }) {
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
