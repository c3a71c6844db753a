import { useState } from 'react';
import { api } from '../../api/client';
import type { NotificationSettings } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { TextField } from '../../components/field';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';

export function QuietHoursSection({ data, onSaved }: { data: NotificationSettings; onSaved: () => void }) {
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
