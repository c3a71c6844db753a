import { useState } from 'react';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField, OtherFieldErrors, otherFieldErrors, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { type Layer, type Person, WEEKDAYS } from '../../features/oncall/types';

type Rotation = Layer['rotation'];

/** Add or change a layer: who rotates in which order, how often, the hand-off time, and when it applies. */
export function LayerDialog({
  scheduleId,
  layer,
  onClose,
  onDone,
}: {
  scheduleId: string;
  layer: Layer | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const people = useApi<{ items: Person[] }>('/api/oncall/people', { live: false });
  const [name, setName] = useState(layer?.name ?? 'Rotation');
  const [order, setOrder] = useState<string[]>(layer?.participants.map((p) => p.id) ?? []);
  const [rotation, setRotation] = useState<Rotation>(layer?.rotation ?? 'weekly');
  const [everyDays, setEveryDays] = useState(String(layer?.everyDays ?? 2));
  const [handoffTime, setHandoffTime] = useState(layer?.handoffTime ?? '09:00');
  const [startDate, setStartDate] = useState(layer?.startDate ?? new Date().toISOString().slice(0, 10));
  const first = layer?.restrictions[0];
  const [limited, setLimited] = useState(Boolean(first));
  const [days, setDays] = useState<number[]>(first?.days ?? [1, 2, 3, 4, 5]);
  const [from, setFrom] = useState(first?.from ?? '18:00');
  const [to, setTo] = useState(first?.to ?? '08:00');
  const body = {
    name,
    participantIds: order,
    rotation,
    everyDays: rotation === 'days' ? Number(everyDays) : 1,
    handoffTime,
    startDate,
    restrictions: limited ? [{ days: [...days].sort(), from, to }] : [],
  };
  const { busy, error, fields, submit } = useSubmit(
    () =>
      layer
        ? api.patch(`/api/schedule-layers/${layer.id}`, body)
        : api.post(`/api/schedules/${scheduleId}/layers`, body),
    onDone,
  );
  const names = new Map(people.data?.items.map((p) => [p.id, p.name]));
  return (
    <Dialog title={layer ? `Edit ${layer.name}` : 'Add a layer'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields['name']} />
        <fieldset className="fieldset">
          <legend>Who rotates, in order</legend>
          {order.length > 0 && (
            <p className="muted">{order.map((id, i) => `${i + 1}. ${names.get(id) ?? '…'}`).join('  ')}</p>
          )}
          {people.data?.items.map((p) => (
            <CheckboxField
              key={p.id}
              label={p.name}
              checked={order.includes(p.id)}
              onChange={(on) => setOrder((o) => (on ? [...o, p.id] : o.filter((id) => id !== p.id)))}
            />
          ))}
          {fields['participantIds'] && <p className="field-error">{fields['participantIds']}</p>}
        </fieldset>
        <Segmented
          label="Hand over"
          name="rotation"
          value={rotation}
          onChange={setRotation}
          choices={[
            ['daily', 'Daily'],
            ['weekly', 'Weekly'],
            ['days', 'Every N days'],
          ]}
        />
        {rotation === 'days' && (
          <TextField
            label="Every how many days"
            type="number"
            min={1}
            max={365}
            value={everyDays}
            onChange={(e) => setEveryDays(e.target.value)}
            error={fields['everyDays']}
          />
        )}
        <div className="field-pair">
          <TextField
            label="Hand-off time"
            type="time"
            value={handoffTime}
            onChange={(e) => setHandoffTime(e.target.value)}
            error={fields['handoffTime']}
          />
          <TextField
            label="First shift starts"
            type="date"
            value={startDate}
            onChange={(e) => setStartDate(e.target.value)}
            error={fields['startDate']}
          />
        </div>
        <CheckboxField label="Only on some days and hours" checked={limited} onChange={setLimited} />
        {limited && (
          <>
            <div className="oncall-days" role="group" aria-label="Days">
              {WEEKDAYS.map((d, i) => (
                <label key={d}>
                  <input
                    type="checkbox"
                    checked={days.includes(i)}
                    onChange={(e) => setDays((ds) => (e.target.checked ? [...ds, i] : ds.filter((x) => x !== i)))}
                  />
                  {d}
                </label>
              ))}
            </div>
            <div className="field-pair">
              <TextField label="From" type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
              <TextField
                label="Until"
                type="time"
                value={to}
                onChange={(e) => setTo(e.target.value)}
                hint="At or before From: the next day"
              />
            </div>
          </>
        )}
        <OtherFieldErrors
          others={otherFieldErrors(fields, ['name', 'participantIds', 'everyDays', 'handoffTime', 'startDate'])}
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            {layer ? 'Save' : 'Add layer'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
