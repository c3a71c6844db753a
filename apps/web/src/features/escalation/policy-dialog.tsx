import { useState } from 'react';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField, formErrors, OtherFieldErrors, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { PlusIcon } from '../../components/icons';
import { type EscalationPolicy, type EscalationStep, parseTarget, type TargetChoices, targetValue } from './targets';

interface StepDraft {
  targets: string[];
  waitMinutes: string;
}

const toDraft = (step: EscalationStep): StepDraft => ({
  targets: step.targets.map(targetValue),
  waitMinutes: String(step.waitMinutes),
});

/** Create or edit a policy: steps (who, then how long to wait for an acknowledgement), repeats, default. */
export function PolicyDialog({
  policy,
  choices,
  onClose,
  onDone,
}: {
  policy: EscalationPolicy | null;
  choices: TargetChoices;
  onClose: () => void;
  onDone: () => void;
}) {
  const [name, setName] = useState(policy?.name ?? '');
  const [isDefault, setDefault] = useState(policy?.isDefault ?? false);
  const [repeat, setRepeat] = useState(String(policy?.repeat ?? 0));
  const [steps, setSteps] = useState<StepDraft[]>(policy?.steps.map(toDraft) ?? [{ targets: [''], waitMinutes: '5' }]);
  const body = () => ({
    name,
    isDefault,
    repeat: Number(repeat),
    steps: steps.map((s) => ({
      targets: s.targets.map(parseTarget).filter((t) => t !== null),
      waitMinutes: Number(s.waitMinutes),
    })),
  });
  const { busy, error, fields, submit } = useSubmit(
    () =>
      policy
        ? api.patch(`/api/escalation-policies/${policy.id}`, body())
        : api.post('/api/escalation-policies', body()),
    onDone,
  );
  const shown = ['name', 'repeat', ...steps.flatMap((_, i) => [`steps.${i}.targets`, `steps.${i}.waitMinutes`])];
  const { summary, others } = formErrors(error, fields, shown);
  const setStep = (i: number, patch: Partial<StepDraft>) =>
    setSteps((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  return (
    <Dialog title={policy ? `Edit ${policy.name}` : 'New escalation policy'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={summary} />
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields['name']} />
        <ol className="policy-steps" aria-label="Steps">
          {steps.map((step, i) => (
            <li key={i} className="fieldset policy-step">
              <span className="row-title">Step {i + 1}: page</span>
              {step.targets.map((value, k) => (
                <div key={k} className="policy-target">
                  <select
                    aria-label={`Step ${i + 1} who ${k + 1}`}
                    value={value}
                    onChange={(e) =>
                      setStep(i, { targets: step.targets.map((t, m) => (m === k ? e.target.value : t)) })
                    }
                  >
                    <option value="">Choose…</option>
                    <optgroup label="Whoever is on call in">
                      {choices.schedules.map((s) => (
                        <option key={s.id} value={`schedule:${s.id}`}>
                          On call in {s.name}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label="A person">
                      {choices.people.map((p) => (
                        <option key={p.id} value={`user:${p.id}`}>
                          {p.name}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label="Everyone in a team">
                      {choices.teams.map((t) => (
                        <option key={t.id} value={`team:${t.id}`}>
                          Everyone in {t.name}
                        </option>
                      ))}
                    </optgroup>
                  </select>
                  {step.targets.length > 1 && (
                    <Button
                      small
                      variant="ghost"
                      aria-label={`Remove who ${k + 1} of step ${i + 1}`}
                      onClick={() => setStep(i, { targets: step.targets.filter((_, m) => m !== k) })}
                    >
                      ✕
                    </Button>
                  )}
                </div>
              ))}
              {fields[`steps.${i}.targets`] && <p className="field-error">{fields[`steps.${i}.targets`]}</p>}
              <Button small onClick={() => setStep(i, { targets: [...step.targets, ''] })}>
                <PlusIcon /> Also page
              </Button>
              <TextField
                label="Then wait (minutes) for an acknowledgement"
                type="number"
                inputMode="numeric"
                min={1}
                max={1440}
                value={step.waitMinutes}
                onChange={(e) => setStep(i, { waitMinutes: e.target.value })}
                error={fields[`steps.${i}.waitMinutes`]}
              />
              {steps.length > 1 && (
                <Button
                  small
                  variant="ghost"
                  className="text-danger"
                  onClick={() => setSteps((all) => all.filter((_, j) => j !== i))}
                >
                  Remove step {i + 1}
                </Button>
              )}
            </li>
          ))}
        </ol>
        <Button small onClick={() => setSteps((all) => [...all, { targets: [''], waitMinutes: '10' }])}>
          <PlusIcon /> Add step
        </Button>
        <TextField
          label="Repeat the steps (times) while nobody acknowledges"
          type="number"
          inputMode="numeric"
          min={0}
          max={10}
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={fields['repeat']}
        />
        <CheckboxField
          label="Default policy"
          hint="(for clients whose contract names none)"
          checked={isDefault}
          onChange={setDefault}
        />
        <OtherFieldErrors others={others} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            {policy ? 'Save' : 'Make policy'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
