import { useState } from 'react';
import type { SitePower } from '@afterhours/shared';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { OtherFieldErrors, TextField, formErrors } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { ParamFields } from '../../components/param-fields';
import { Segmented } from '../../components/segmented';
import { settingsFrom, shownFields, type Values, valuesFrom } from '../../lib/param-values';
import { UPS_FIELDS, UPS_KIND_LABELS, type UpsKind } from './fields';

type Ups = SitePower['ups'][number];

const KINDS = Object.entries(UPS_KIND_LABELS) as [UpsKind, string][];
const num = (text: string): number | string | null => {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
};

/** Add a UPS to a site or change one: how the agent reaches it, how often it reads it, how long power must stay back. */
export function UpsFormDialog({
  siteId,
  ups,
  onClose,
  onSaved,
}: {
  siteId: string;
  ups?: Ups;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [kind, setKind] = useState<UpsKind>(ups?.kind ?? 'nut');
  const [name, setName] = useState(ups?.name ?? '');
  const [values, setValues] = useState<Values>(() => valuesFrom(UPS_FIELDS[ups?.kind ?? 'nut'], ups?.settings));
  const [poll, setPoll] = useState(ups?.pollSeconds == null ? '' : String(ups.pollSeconds));
  const [stable, setStable] = useState(ups?.stableMinutes == null ? '' : String(ups.stableMinutes));
  const chooseKind = (next: UpsKind) => {
    setKind(next);
    setValues(valuesFrom(UPS_FIELDS[next], next === ups?.kind ? ups.settings : undefined));
  };
  const body = () => ({
    name,
    kind,
    settings: settingsFrom(UPS_FIELDS[kind], values, ups?.kind === kind ? ups.settings : {}),
    pollSeconds: num(poll),
    stableMinutes: num(stable),
  });
  const { busy, error, fields, submit } = useSubmit(
    () => (ups ? api.put(`/api/power/ups/${ups.id}`, body()) : api.post(`/api/sites/${siteId}/power/ups`, body())),
    () => {
      onClose();
      onSaved();
    },
  );
  const shown = shownFields(UPS_FIELDS[kind], values);
  const { summary, others } = formErrors(error, fields, [
    'name',
    'kind',
    'pollSeconds',
    'stableMinutes',
    ...shown.map((f) => `settings.${f.key}`),
  ]);
  return (
    <Dialog title={ups ? `Edit ${ups.name}` : 'Add UPS'} onClose={onClose}>
      <form onSubmit={submit} noValidate aria-label={ups ? 'Edit UPS' : 'Add UPS'}>
        <ErrorNotice error={summary} />
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          placeholder="Server-room UPS"
          required
        />
        <Segmented label="Read through" name="ups-kind" value={kind} choices={KINDS} onChange={chooseKind} />
        <ParamFields
          fields={shown}
          values={values}
          onChange={(key, value) => setValues((v) => ({ ...v, [key]: value }))}
          error={(key) => fields[`settings.${key}`]}
          editing={Boolean(ups)}
        />
        <div className="field-pair">
          <TextField
            label="Read every (s)"
            inputMode="numeric"
            value={poll}
            onChange={(e) => setPoll(e.target.value)}
            error={fields['pollSeconds']}
            placeholder="5"
            hint="1–60 s; empty: 5 s."
          />
          <TextField
            label="Power back after (min)"
            inputMode="decimal"
            value={stable}
            onChange={(e) => setStable(e.target.value)}
            error={fields['stableMinutes']}
            placeholder="5"
            hint="Stable this long before it counts as back."
          />
        </div>
        <OtherFieldErrors others={others} name={(key) => key.replace(/^settings\.?/, '') || 'Settings'} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save UPS
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
