import { useState } from 'react';
import { api } from '../../api/client';
import type { Agent, Check, CheckKind } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { OtherFieldErrors, SelectField, TextField, formErrors } from '../../components/field';
import { ParamFields } from '../../components/param-fields';
import { ErrorNotice } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { options } from '../register/labels';
import { initialValues, paramsFrom, suggestedName, visibleFields, type Values } from './check-kinds';
import { CHECK_KIND_LABELS, CHECK_KIND_SHORT } from './state';

export interface CheckSystem {
  id: string;
  name: string;
  host: string | null;
}

const PROBES = [
  ['hub', 'The hub'],
  ['agent', 'Site agent'],
] as const;
/** Numbers as typed; text that does not parse goes to the hub as is, so it names the field. */
const num = (text: string, scale = 1): number | string => {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? Math.round(n * scale) : text;
};

/**
 * Add or edit a check: the kind first (adding only), then that kind's fields with their defaults,
 * then where it runs and how often. The hub's field errors ("params.port") appear beside the input.
 * Secret fields come back as "***" and are sent back unchanged unless a new value is typed.
 */
export function CheckFormDialog({
  system,
  check,
  agents,
  onClose,
  onSaved,
}: {
  system: CheckSystem;
  check?: Check;
  agents: readonly Agent[];
  onClose: () => void;
  onSaved: (check: Check) => void;
}) {
  const [kind, setKind] = useState<CheckKind>(check?.kind ?? 'tcp');
  const [values, setValues] = useState<Values>(() => initialValues(check?.kind ?? 'tcp', check?.params, system.host));
  const [name, setName] = useState(check?.name ?? '');
  const usable = agents.filter((a) => a.status !== 'revoked');
  const [probe, setProbe] = useState<'hub' | 'agent'>(check?.probe ?? 'hub');
  const [agentId, setAgentId] = useState(check?.agentId ?? usable[0]?.id ?? '');
  const [interval, setIntervalS] = useState(String(check?.intervalS ?? 60));
  const [timeout, setTimeoutS] = useState(String((check?.timeoutMs ?? 10_000) / 1000));
  const [failures, setFailures] = useState(String(check?.failuresBeforeDown ?? 2));
  const [successes, setSuccesses] = useState(String(check?.successesBeforeUp ?? 1));

  const chooseKind = (next: CheckKind) => {
    setKind(next);
    setValues(initialValues(next, undefined, system.host));
  };
  const set = (key: string, value: string | boolean) => setValues((v) => ({ ...v, [key]: value }));

  const body = () => {
    const params = paramsFrom(kind, values, check?.kind === kind ? check.params : {});
    return {
      name: name.trim() || suggestedName(kind, values, CHECK_KIND_SHORT[kind]),
      params,
      probe,
      ...(probe === 'agent' && agentId ? { agentId } : {}),
      intervalS: num(interval),
      timeoutMs: num(timeout, 1000),
      failuresBeforeDown: num(failures),
      successesBeforeUp: num(successes),
    };
  };
  const { busy, error, fields, submit } = useSubmit(
    () =>
      check
        ? api.patch<Check>(`/api/checks/${check.id}`, body())
        : api.post<Check>('/api/checks', { systemId: system.id, kind, ...body() }),
    (saved) => {
      onClose();
      onSaved(saved);
    },
  );
  const shown = visibleFields(kind, values);
  const fieldError = (key: string) => fields[`params.${key}`];
  const handled = [
    'name',
    'kind',
    'probe',
    'agentId',
    'intervalS',
    'timeoutMs',
    'failuresBeforeDown',
    'successesBeforeUp',
    ...shown.map((f) => `params.${f.key}`),
  ];
  const { summary, others } = formErrors(error, fields, handled);

  return (
    <Dialog title={check ? `Edit ${check.name}` : `Add check to ${system.name}`} onClose={onClose} wide>
      <form onSubmit={submit} noValidate className="check-form">
        <ErrorNotice error={summary} />
        {!check && (
          <SelectField
            label="Check kind"
            value={kind}
            onChange={(e) => chooseKind(e.target.value as CheckKind)}
            options={options(CHECK_KIND_LABELS)}
            error={fields['kind']}
            autoFocus
          />
        )}
        <ParamFields fields={shown} values={values} onChange={set} error={fieldError} editing={Boolean(check)} />
        <TextField
          label="Check name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          placeholder={suggestedName(kind, values, CHECK_KIND_SHORT[kind])}
          hint={check ? undefined : 'Leave empty to use the suggestion.'}
        />

        <fieldset className="fieldset">
          <legend>Run from</legend>
          <Segmented
            label="Probe"
            name="probe"
            value={probe}
            choices={PROBES}
            onChange={setProbe}
            disabled={(v) => v === 'agent' && usable.length === 0 && probe !== 'agent'}
          />
          <p className="field-hint">
            {probe === 'hub'
              ? 'The hub checks from outside: for what is reachable from the internet.'
              : 'The site’s agent checks from inside the office network.'}
            {usable.length === 0 && ' This site has no agent yet; add one under Agents to check from inside.'}
          </p>
          {fields['probe'] && <p className="field-error">Run from: {fields['probe']}</p>}
          {probe === 'agent' && usable.length > 1 && (
            <SelectField
              label="Agent"
              value={agentId}
              onChange={(e) => setAgentId(e.target.value)}
              options={usable.map((a) => ({ value: a.id, label: a.name }))}
              error={fields['agentId']}
            />
          )}
          {probe === 'agent' && usable.length <= 1 && fields['agentId'] && (
            <p className="field-error">Agent {fields['agentId']}</p>
          )}
        </fieldset>

        <div className="field-pair">
          <TextField
            label="Interval (seconds)"
            inputMode="numeric"
            value={interval}
            onChange={(e) => setIntervalS(e.target.value)}
            error={fields['intervalS']}
            hint="10 s to 24 h"
          />
          <TextField
            label="Timeout (seconds)"
            inputMode="decimal"
            value={timeout}
            onChange={(e) => setTimeoutS(e.target.value)}
            error={fields['timeoutMs']}
          />
        </div>
        <div className="field-pair">
          <TextField
            label="Failures before down"
            inputMode="numeric"
            value={failures}
            onChange={(e) => setFailures(e.target.value)}
            error={fields['failuresBeforeDown']}
          />
          <TextField
            label="Successes before up"
            inputMode="numeric"
            value={successes}
            onChange={(e) => setSuccesses(e.target.value)}
            error={fields['successesBeforeUp']}
          />
        </div>
        <OtherFieldErrors others={others} name={(key) => key.replace(/^params\.?/, '') || 'Settings'} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save check
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
