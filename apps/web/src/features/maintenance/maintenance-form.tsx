import { useState } from 'react';
import type { Weekday } from '../../api/types';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CheckboxField, formErrors, OtherFieldErrors, SelectField, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { WEEKDAY_LABELS, WEEKDAYS } from '../register/labels';

const DURATIONS = [
  { value: '1', label: '1 hour' },
  { value: '2', label: '2 hours' },
  { value: '4', label: '4 hours' },
  { value: '8', label: '8 hours' },
  { value: '24', label: '24 hours' },
];
const KINDS = [
  ['once', 'Now'],
  ['weekly', 'Every week'],
] as const;

/**
 * Starts maintenance at a site: now for a number of hours, or every week on some days from–to in the
 * site's time zone ("Sundays 02:00–04:00, patch night"). Either way with a reason, for the whole site or
 * for the systems ticked.
 */
export function MaintenanceForm({
  siteId,
  timeZone,
  systems,
  onDone,
  onCancel,
}: {
  siteId: string;
  timeZone: string;
  systems: ReadonlyArray<{ id: string; name: string }>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [kind, setKind] = useState<'once' | 'weekly'>('once');
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('2');
  const [days, setDays] = useState<Weekday[]>(['sun']);
  const [startTime, setStart] = useState('02:00');
  const [endTime, setEnd] = useState('04:00');
  const [systemIds, setSystemIds] = useState<string[]>([]);
  const save = useSubmit(
    () =>
      api.post(
        `/api/sites/${siteId}/maintenance`,
        kind === 'once'
          ? { kind, systemIds, endsAt: new Date(Date.now() + Number(hours) * 3600_000).toISOString(), reason }
          : { kind, systemIds, days, startTime, endTime, timeZone, reason },
      ),
    onDone,
  );
  const { summary, others } = formErrors(save.error, save.fields, [
    'reason',
    'days',
    'startTime',
    'endTime',
    'systemIds',
  ]);
  return (
    <form className="card form-card" onSubmit={save.submit} aria-label="Start maintenance" noValidate>
      <ErrorNotice error={summary} />
      <Segmented label="When" name="maintenance-kind" value={kind} choices={KINDS} onChange={setKind} />
      <TextField
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={save.fields.reason}
        placeholder={kind === 'once' ? 'Replacing the UPS batteries' : 'Patch night'}
        required
      />
      {kind === 'once' ? (
        <SelectField label="For" value={hours} onChange={(e) => setHours(e.target.value)} options={DURATIONS} />
      ) : (
        <>
          <fieldset className="fieldset maintenance-days">
            <legend>Days</legend>
            {WEEKDAYS.map((d) => (
              <CheckboxField
                key={d}
                label={WEEKDAY_LABELS[d]}
                checked={days.includes(d)}
                onChange={(on) => setDays((all) => (on ? [...all, d] : all.filter((x) => x !== d)))}
              />
            ))}
            {save.fields.days && <p className="field-error">Days {save.fields.days}</p>}
          </fieldset>
          <div className="maintenance-times">
            <TextField
              label="From"
              type="time"
              value={startTime}
              onChange={(e) => setStart(e.target.value)}
              error={save.fields.startTime}
            />
            <TextField
              label="To"
              type="time"
              value={endTime}
              onChange={(e) => setEnd(e.target.value)}
              error={save.fields.endTime}
            />
          </div>
          <p className="muted small">
            In the site’s time zone ({timeZone}). A window that ends before it starts runs past midnight.
          </p>
        </>
      )}
      {systems.length > 1 && (
        <fieldset className="fieldset">
          <legend>Systems</legend>
          <p className="muted small">
            {systemIds.length === 0
              ? 'None ticked: the whole site is in maintenance.'
              : 'Only the ticked systems are in maintenance; the rest page as usual.'}
          </p>
          {systems.map((system) => (
            <CheckboxField
              key={system.id}
              label={system.name}
              checked={systemIds.includes(system.id)}
              onChange={(on) => setSystemIds((all) => (on ? [...all, system.id] : all.filter((x) => x !== system.id)))}
            />
          ))}
          {save.fields.systemIds && <p className="field-error">Systems {save.fields.systemIds}</p>}
        </fieldset>
      )}
      <OtherFieldErrors others={others} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.busy}>
          {kind === 'once' ? 'Start' : 'Add weekly maintenance'}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
