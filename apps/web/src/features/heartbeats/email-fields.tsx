import type { Heartbeat } from '../../api/types';
import { Button } from '../../components/button';
import { CheckboxField, SelectField, TextField } from '../../components/field';
import { PlusIcon } from '../../components/icons';

type Rule = Heartbeat['email']['rules'][number];
type Outcome = Heartbeat['email']['otherwise'];
export interface EmailValues {
  enabled: boolean;
  localPart: string;
  preset: '' | 'generic';
  rules: Rule[];
  otherwise: Outcome;
}

export function initialEmail(email: Heartbeat['email'] | undefined): EmailValues {
  return {
    enabled: email?.enabled ?? false,
    localPart: email?.localPart ?? '',
    preset: email?.preset ?? '',
    rules: email?.rules ?? [],
    otherwise: email?.otherwise ?? 'ignore',
  };
}

/** The request's `email`: empty texts left out, so the hub's defaults apply. */
export function emailBody(v: EmailValues) {
  const rules = v.rules.map((r) => ({
    result: r.result,
    ...(r.from?.trim() ? { from: r.from.trim() } : {}),
    ...(r.subject?.trim() ? { subject: r.subject.trim() } : {}),
    ...(r.body?.trim() ? { body: r.body.trim() } : {}),
  }));
  return {
    enabled: v.enabled,
    localPart: v.localPart.trim() || null,
    preset: v.preset || null,
    rules,
    otherwise: v.otherwise,
  };
}

const RESULT_OPTIONS = [
  { value: 'failure', label: 'Failure' },
  { value: 'warning', label: 'Warning' },
  { value: 'success', label: 'Success' },
];

/** E-mail reports: on or off, the address's local part, a preset, rules in order, and the fallback. */
export function EmailFields({
  value,
  onChange,
  fields,
  address,
}: {
  value: EmailValues;
  onChange: (v: EmailValues) => void;
  fields: Record<string, string>;
  address: string | null;
}) {
  const setRule = (i: number, patch: Partial<Rule>) =>
    onChange({ ...value, rules: value.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  return (
    <fieldset className="fieldset">
      <legend>E-mail reports</legend>
      <CheckboxField
        label="Receive reports by e-mail"
        checked={value.enabled}
        onChange={(enabled) => onChange({ ...value, enabled })}
        hint="for backup products that only send e-mail"
      />
      {fields['email.enabled'] && <p className="field-error">E-mail reports {fields['email.enabled']}</p>}
      {value.enabled && (
        <>
          <TextField
            label="Address local part"
            value={value.localPart}
            onChange={(e) => onChange({ ...value, localPart: e.target.value })}
            error={fields['email.localPart']}
            hint={
              address
                ? `Reports go to ${address}`
                : 'The part before the @; default: the slug, else the id. Needs the hub’s SMTP listener.'
            }
            autoCapitalize="off"
            spellCheck={false}
          />
          <SelectField
            label="Preset"
            value={value.preset}
            onChange={(e) => onChange({ ...value, preset: e.target.value as EmailValues['preset'] })}
            options={[
              { value: '', label: 'None' },
              { value: 'generic', label: 'Generic (fail/error, warning, success in the subject)' },
            ]}
            error={fields['email.preset']}
          />
          <ol className="email-rules" aria-label="E-mail rules">
            {value.rules.map((r, i) => (
              <li key={i} className="email-rule">
                <SelectField
                  label={`Rule ${i + 1} result`}
                  value={r.result}
                  onChange={(e) => setRule(i, { result: e.target.value as Rule['result'] })}
                  options={RESULT_OPTIONS}
                  error={fields[`email.rules.${i}.result`] ?? fields[`email.rules.${i}`]}
                />
                <TextField
                  label={`Rule ${i + 1} sender contains`}
                  value={r.from ?? ''}
                  onChange={(e) => setRule(i, { from: e.target.value })}
                  error={fields[`email.rules.${i}.from`]}
                  autoCapitalize="off"
                />
                <TextField
                  label={`Rule ${i + 1} subject contains`}
                  value={r.subject ?? ''}
                  onChange={(e) => setRule(i, { subject: e.target.value })}
                  error={fields[`email.rules.${i}.subject`]}
                />
                <TextField
                  label={`Rule ${i + 1} body contains`}
                  value={r.body ?? ''}
                  onChange={(e) => setRule(i, { body: e.target.value })}
                  error={fields[`email.rules.${i}.body`]}
                />
                <Button
                  small
                  variant="ghost"
                  className="text-danger"
                  onClick={() => onChange({ ...value, rules: value.rules.filter((_, j) => j !== i) })}
                >
                  Remove rule {i + 1}
                </Button>
              </li>
            ))}
          </ol>
          <Button
            small
            onClick={() => onChange({ ...value, rules: [...value.rules, { result: 'failure', subject: '' }] })}
          >
            <PlusIcon /> Add rule
          </Button>
          <p className="field-hint">
            The first rule that matches decides (text is matched without regard to case); then the preset; then:
          </p>
          <SelectField
            label="Otherwise"
            value={value.otherwise}
            onChange={(e) => onChange({ ...value, otherwise: e.target.value as Outcome })}
            options={[{ value: 'ignore', label: 'Keep it, change nothing' }, ...RESULT_OPTIONS]}
            error={fields['email.otherwise']}
          />
        </>
      )}
    </fieldset>
  );
}
