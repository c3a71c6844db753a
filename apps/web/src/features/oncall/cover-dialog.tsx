import { useState } from 'react';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { formatDayTime, localInput } from '../../lib/date-format';
import { useMe } from '../session/session';
import type { Person } from './types';

type Preset = 'now2' | 'tonight' | 'custom';
const HOUR = 3600_000;

/** The period a preset stands for, from `now`: the next two hours, or tonight 18:00 to 08:00. */
export function presetPeriod(preset: Exclude<Preset, 'custom'>, now: Date): { start: Date; end: Date } {
  if (preset === 'now2') return { start: now, end: new Date(now.getTime() + 2 * HOUR) };
  const start = new Date(now);
  start.setHours(18, 0, 0, 0);
  if (start < now) start.setTime(now.getTime());
  const end = new Date(start);
  end.setDate(end.getDate() + (start.getHours() >= 8 ? 1 : 0));
  end.setHours(8, 0, 0, 0);
  return { start, end };
}

/** "I'll cover": an override on one schedule in a few taps (admins may pick someone else). */
export function CoverDialog({
  scheduleId,
  scheduleName,
  onClose,
  onDone,
}: {
  scheduleId: string;
  scheduleName: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { user, canManage } = useMe();
  const people = useApi<{ items: Person[] }>(canManage ? '/api/oncall/people' : null, { live: false });
  const [preset, setPreset] = useState<Preset>('now2');
  const [who, setWho] = useState(user.id);
  const now = new Date();
  const initial = presetPeriod('now2', now);
  const [start, setStart] = useState(localInput(initial.start));
  const [end, setEnd] = useState(localInput(initial.end));
  const period = preset === 'custom' ? { start: new Date(start), end: new Date(end) } : presetPeriod(preset, now);
  const { busy, error, fields, submit } = useSubmit(
    () =>
      api.post(`/api/schedules/${scheduleId}/overrides`, {
        ...(who !== user.id ? { userId: who } : {}),
        start: period.start.toISOString(),
        end: period.end.toISOString(),
      }),
    onDone,
  );
  const valid = !Number.isNaN(period.start.getTime()) && !Number.isNaN(period.end.getTime());
  return (
    <Dialog title={`Cover ${scheduleName}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        {canManage && people.data && (
          <SelectField
            label="Who covers"
            value={who}
            onChange={(e) => setWho(e.target.value)}
            options={people.data.items.map((p) => ({
              value: p.id,
              label: p.id === user.id ? `${p.name} (me)` : p.name,
            }))}
            error={fields['userId']}
          />
        )}
        <Segmented
          label="When"
          name="cover-when"
          value={preset}
          onChange={setPreset}
          choices={[
            ['now2', 'Next 2 hours'],
            ['tonight', 'Tonight'],
            ['custom', 'Other'],
          ]}
        />
        {preset === 'custom' ? (
          <>
            <TextField
              label="From"
              type="datetime-local"
              value={start}
              onChange={(e) => setStart(e.target.value)}
              error={fields['start']}
            />
            <TextField
              label="Until"
              type="datetime-local"
              value={end}
              onChange={(e) => setEnd(e.target.value)}
              error={fields['end']}
            />
          </>
        ) : (
          <p className="lead" aria-live="polite">
            {formatDayTime(period.start)} – {formatDayTime(period.end)}
          </p>
        )}
        {preset !== 'custom' && fields['end'] && <p className="field-error">Until {fields['end']}</p>}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!valid}>
            {who === user.id ? "I'll cover" : 'Put on call'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
