import { useMemo } from 'react';
import type { FieldSpec, Value, Values } from '../lib/param-values';
import { CheckboxField, SelectField, TextAreaField, TextField } from './field';

const MASK = '***';

/** A data-driven form's fields (lib/param-values), paired side by side where the spec says so. */
export function ParamFields({
  fields,
  values,
  onChange,
  error,
  editing,
}: {
  fields: readonly FieldSpec[];
  values: Values;
  onChange: (key: string, value: Value) => void;
  /** The hub's message for a field, by its key. */
  error: (key: string) => string | undefined;
  /** Editing something stored: a secret shown as "***" is kept unless a new one is typed. */
  editing: boolean;
}) {
  const groups = useMemo(() => pairUp(fields), [fields]);
  return groups.map((group) => {
    const inputs = group.map((f) => (
      <ParamField
        key={f.key}
        spec={f}
        value={values[f.key] ?? ''}
        onChange={(v) => onChange(f.key, v)}
        error={error(f.key)}
        editing={editing}
      />
    ));
    return group.length > 1 ? (
      <div className="field-pair" key={group[0]!.key}>
        {inputs}
      </div>
    ) : (
      inputs
    );
  });
}

function pairUp(fields: readonly FieldSpec[]): FieldSpec[][] {
  const out: FieldSpec[][] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const next = fields[i + 1];
    if (f.pair && next && next.type !== 'checkbox' && f.type !== 'checkbox') {
      out.push([f, next]);
      i++;
    } else out.push([f]);
  }
  return out;
}

function ParamField({
  spec,
  value,
  onChange,
  error,
  editing,
}: {
  spec: FieldSpec;
  value: string | boolean;
  onChange: (v: string | boolean) => void;
  error: string | undefined;
  editing: boolean;
}) {
  const text = typeof value === 'string' ? value : '';
  switch (spec.type) {
    case 'checkbox':
      return (
        <div className={`field ${error ? 'has-error' : ''}`}>
          <CheckboxField label={spec.label} checked={value === true} onChange={onChange} />
          {error && (
            <p className="field-error">
              {spec.label} {error}
            </p>
          )}
        </div>
      );
    case 'select':
      return (
        <SelectField
          label={spec.label}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          options={spec.options ?? []}
          error={error}
          hint={spec.hint}
        />
      );
    case 'secret': {
      const stored = editing && text === MASK;
      return (
        <TextField
          label={spec.label}
          type="password"
          autoComplete="new-password"
          value={text}
          onFocus={(e) => stored && e.target.select()}
          onChange={(e) => onChange(e.target.value)}
          error={error}
          hint={stored ? 'Kept as stored; type a new one to replace it.' : spec.hint}
        />
      );
    }
    case 'secret-text': {
      const stored = editing && text === MASK;
      return (
        <TextAreaField
          label={spec.label}
          rows={stored ? 1 : 4}
          value={text}
          onFocus={(e) => stored && e.target.select()}
          onChange={(e) => onChange(e.target.value)}
          error={error}
          hint={stored ? 'Kept as stored; paste a new one to replace it.' : spec.hint}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
        />
      );
    }
    default:
      return (
        <TextField
          label={spec.label}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          error={error}
          hint={spec.hint}
          placeholder={spec.placeholder}
          inputMode={spec.type === 'number' ? 'decimal' : undefined}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
        />
      );
  }
}
