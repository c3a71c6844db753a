import { useState } from 'react';
import { api } from '../../api/client';
import type { Heartbeat } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { OtherFieldErrors, TextField, formErrors } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { TimeZoneField } from '../register/time-zone-field';
import { DurationField, toDuration, toSeconds, type Duration } from './duration-field';
import { EmailFields, emailBody, initialEmail } from './email-fields';
import './backups.css';

const SCHEDULE_KINDS = [
  ['period', 'Every…'],
  ['cron', 'Cron'],
] as const;
const DAY_S = 86_400;
const HOUR_S = 3_600;
const words = (text: string) =>
  text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

/**
 * Add a heartbeat to a system, or edit one: name, slug, schedule (a period, or cron in a time zone,
 * each with a grace time), keywords, body limit and e-mail reports. The hub's field errors
 * ("schedule.graceS", "email.rules.0.subject") appear beside their inputs.
 */
export function HeartbeatFormDialog({
  system,
  heartbeat,
  onClose,
  onSaved,
}: {
  system: { id: string; name: string };
  heartbeat?: Heartbeat;
  onClose: () => void;
  onSaved: (h: Heartbeat) => void;
}) {
  const s = heartbeat?.schedule;
  const [name, setName] = useState(heartbeat?.name ?? '');
  const [slug, setSlug] = useState(heartbeat?.slug ?? '');
  const [kind, setKind] = useState<'period' | 'cron'>(s?.kind ?? 'period');
  const [period, setPeriod] = useState<Duration>(toDuration(s?.kind === 'period' ? s.periodS : DAY_S));
  const [grace, setGrace] = useState<Duration>(toDuration(s?.graceS ?? HOUR_S));
  const [cron, setCron] = useState(s?.kind === 'cron' ? s.cron : '0 2 * * *');
  const [timeZone, setTimeZone] = useState(s?.kind === 'cron' ? s.timeZone : '');
  const [success, setSuccess] = useState(heartbeat?.keywords.success.join(', ') ?? '');
  const [failure, setFailure] = useState(heartbeat?.keywords.failure.join(', ') ?? '');
  const [start, setStart] = useState(heartbeat?.keywords.start.join(', ') ?? '');
  const [bodyLimit, setBodyLimit] = useState(String(heartbeat?.bodyLimit ?? 10_000));
  const [email, setEmail] = useState(() => initialEmail(heartbeat?.email));

  const body = () => {
    const limit = Number(bodyLimit.trim());
    return {
      name: name.trim(),
      slug: slug.trim() || null,
      schedule:
        kind === 'period'
          ? { kind, periodS: toSeconds(period), graceS: toSeconds(grace) }
          : {
              kind,
              cron: cron.trim(),
              ...(timeZone.trim() ? { timeZone: timeZone.trim() } : {}),
              graceS: toSeconds(grace),
            },
      keywords: { success: words(success), failure: words(failure), start: words(start) },
      bodyLimit: bodyLimit.trim() !== '' && Number.isFinite(limit) ? limit : bodyLimit,
      ...(email.enabled || heartbeat?.email.enabled ? { email: emailBody(email) } : {}),
    };
  };
  const { busy, error, fields, submit } = useSubmit(
    () =>
      heartbeat
        ? api.patch<Heartbeat>(`/api/heartbeats/${heartbeat.id}`, body())
        : api.post<Heartbeat>('/api/heartbeats', { systemId: system.id, ...body() }),
    (saved) => {
      onClose();
      onSaved(saved);
    },
  );
  const kw = (key: string) =>
    Object.entries(fields).find(([k]) => k === `keywords.${key}` || k.startsWith(`keywords.${key}.`))?.[1];
  const { summary, others } = formErrors(error, fields, ['name', 'slug', 'schedule', 'keywords', 'bodyLimit', 'email']);

  return (
    <Dialog title={heartbeat ? `Edit ${heartbeat.name}` : `Add heartbeat to ${system.name}`} onClose={onClose} wide>
      <form onSubmit={submit} noValidate className="heartbeat-form">
        <ErrorNotice error={summary} />
        <TextField
          label="Heartbeat name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          placeholder="Nightly offsite backup"
          autoFocus={!heartbeat}
        />
        <TextField
          label="Slug"
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          error={fields['slug']}
          hint="Optional: lowercase letters, digits, - and _, for /ping/<ping key>/<slug>"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
        />
        <fieldset className="fieldset">
          <legend>Schedule</legend>
          <Segmented
            label="Schedule kind"
            name="schedule-kind"
            value={kind}
            choices={SCHEDULE_KINDS}
            onChange={setKind}
          />
          {fields['schedule'] && <p className="field-error">Schedule {fields['schedule']}</p>}
          {kind === 'period' ? (
            <DurationField
              label="Period"
              value={period}
              onChange={setPeriod}
              error={fields['schedule.periodS']}
              hint="How often the job reports: 1 minute to 365 days"
            />
          ) : (
            <>
              <TextField
                label="Cron expression"
                value={cron}
                onChange={(e) => setCron(e.target.value)}
                error={fields['schedule.cron']}
                hint="minute hour day-of-month month day-of-week, e.g. 0 2 * * * for 02:00 daily"
                autoCapitalize="off"
                spellCheck={false}
                className="field-mono"
              />
              <TimeZoneField
                label="Schedule time zone"
                value={timeZone}
                onChange={setTimeZone}
                error={fields['schedule.timeZone']}
              />
              {!timeZone && <p className="field-hint">Leave empty for the site’s time zone.</p>}
            </>
          )}
          <DurationField
            label="Grace time"
            value={grace}
            onChange={setGrace}
            error={fields['schedule.graceS']}
            hint="How long past the expected time before it is down"
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>Keywords in the output</legend>
          <p className="field-hint">
            Comma-separated. When any are set, the output decides: failure words first, then success, then start.
          </p>
          <TextField
            label="Failure keywords"
            value={failure}
            onChange={(e) => setFailure(e.target.value)}
            error={kw('failure')}
            placeholder="ERROR, failed"
          />
          <TextField
            label="Success keywords"
            value={success}
            onChange={(e) => setSuccess(e.target.value)}
            error={kw('success')}
            placeholder="completed"
          />
          <TextField
            label="Start keywords"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            error={kw('start')}
          />
        </fieldset>
        <TextField
          label="Output kept (bytes)"
          inputMode="numeric"
          value={bodyLimit}
          onChange={(e) => setBodyLimit(e.target.value)}
          error={fields['bodyLimit']}
          hint="Of each ping’s body; at most 100,000"
        />
        <EmailFields value={email} onChange={setEmail} fields={fields} address={heartbeat?.email.address ?? null} />
        <OtherFieldErrors others={others} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save heartbeat
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
