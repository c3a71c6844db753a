import { useState } from 'react';
import type { SitePower } from '@afterhours/shared';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { OtherFieldErrors, SelectField, formErrors } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { ParamFields } from '../../components/param-fields';
import { type Json, settingsFrom, shownFields, type Values, valuesFrom } from '../../lib/param-values';
import { ACTION_FIELDS, ACTION_LABELS, type ActionKind, SHUTDOWN_KINDS, STARTUP_KINDS } from './fields';

type SystemPower = SitePower['systems'][number];
type Shown = SystemPower['shutdown'];
type Direction = 'shutdown' | 'startup';

/** The stored settings as the form starts from them: secrets that are set stand as "***". */
function storedSettings(action: Shown): Json | undefined {
  if (!action) return undefined;
  return { ...action.settings, ...Object.fromEntries(action.secretsSet.map((k) => [k, '***'])) };
}

function useAction(action: Shown) {
  const [kind, setKind] = useState<ActionKind | ''>((action?.kind as ActionKind | undefined) ?? '');
  const [values, setValues] = useState<Values>(() =>
    action ? valuesFrom(ACTION_FIELDS[action.kind as ActionKind], storedSettings(action)) : {},
  );
  const choose = (next: ActionKind | '') => {
    setKind(next);
    setValues(next ? valuesFrom(ACTION_FIELDS[next], next === action?.kind ? storedSettings(action) : undefined) : {});
  };
  const body = () =>
    kind
      ? {
          kind,
          settings: settingsFrom(
            ACTION_FIELDS[kind],
            values,
            kind === action?.kind ? (storedSettings(action) ?? {}) : {},
          ),
        }
      : null;
  const set = (key: string, value: string | boolean) => setValues((v) => ({ ...v, [key]: value }));
  return { kind, values, choose, body, set, shown: kind ? shownFields(ACTION_FIELDS[kind], values) : [] };
}

/**
 * How one system is shut down and started again. Passwords and keys are write-only: a stored one shows
 * as "***" and is kept unless a new one is typed.
 */
export function SystemPowerDialog({
  system,
  onClose,
  onSaved,
}: {
  system: SystemPower;
  onClose: () => void;
  onSaved: () => void;
}) {
  const shutdown = useAction(system.shutdown);
  const startup = useAction(system.startup);
  const { busy, error, fields, submit } = useSubmit(
    () => api.put(`/api/systems/${system.systemId}/power`, { shutdown: shutdown.body(), startup: startup.body() }),
    () => {
      onClose();
      onSaved();
    },
  );
  const parts: [Direction, ReturnType<typeof useAction>, readonly ActionKind[], string][] = [
    ['shutdown', shutdown, SHUTDOWN_KINDS, 'Shut down by'],
    ['startup', startup, STARTUP_KINDS, 'Start by'],
  ];
  const { summary, others } = formErrors(
    error,
    fields,
    parts.flatMap(([d, a]) => [`${d}.kind`, ...a.shown.map((f) => `${d}.settings.${f.key}`)]),
  );
  return (
    <Dialog title={`Power actions of ${system.systemName}`} onClose={onClose}>
      <form onSubmit={submit} noValidate aria-label="Power actions">
        <ErrorNotice error={summary} />
        {parts.map(([direction, action, kinds, label]) => (
          <fieldset className="fieldset" key={direction}>
            <legend>{direction === 'shutdown' ? 'Shutdown' : 'Startup'}</legend>
            <SelectField
              label={label}
              value={action.kind}
              onChange={(e) => action.choose(e.target.value as ActionKind | '')}
              options={[
                { value: '', label: direction === 'shutdown' ? 'Nothing (left running)' : 'Nothing (started by hand)' },
                ...kinds.map((k) => ({ value: k, label: ACTION_LABELS[k] })),
              ]}
              error={fields[`${direction}.kind`]}
            />
            <ParamFields
              fields={action.shown}
              values={action.values}
              onChange={action.set}
              error={(key) => fields[`${direction}.settings.${key}`]}
              editing={Boolean(system[direction])}
            />
          </fieldset>
        ))}
        <OtherFieldErrors others={others} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
