import { ApiError, type FieldErrors } from '../api/client';
import {
  useId,
  type InputHTMLAttributes,
  type Ref,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface FieldProps {
  label: string;
  /** The hub's message for this field ("must be at least 10 characters"). */
  error?: string | undefined;
  hint?: ReactNode;
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
  className?: string;
}

/** A label, the control, a hint and the field's error, wired together for screen readers and tests. */
export function Field({ label, error, hint, children, className }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true } : {}),
      })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {label} {error}
        </p>
      )}
    </div>
  );
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  ref?: Ref<HTMLInputElement>;
};

export function TextField({ label, error, hint, className, ref, ...input }: InputProps) {
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(control) => <input ref={ref} {...control} {...input} />}
    </Field>
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
};

export function SelectField({ label, error, hint, options, className, ...select }: SelectProps) {
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(control) => (
        <select {...control} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

type AreaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
};

export function TextAreaField({ label, error, hint, className, ...area }: AreaProps) {
  return (
    <Field label={label} error={error} hint={hint} className={className}>
      {(control) => <textarea rows={3} {...control} {...area} />}
    </Field>
  );
}

export function CheckboxField({
  label,
  checked,
  onChange,
  hint,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {label}
        {hint && <small className="muted"> {hint}</small>}
      </span>
    </label>
  );
}

/** Error fields the form has no input for (so nothing the hub said gets lost). */
export function otherFieldErrors(fields: Record<string, string>, shown: readonly string[]): [string, string][] {
  return Object.entries(fields).filter(([key]) => !shown.some((s) => key === s || key.startsWith(`${s}.`)));
}

/**
 * A long form's errors: `summary` for its notice (when every field error sits beside its input, it says
 * so instead of repeating them) and `others`, the field errors it has no input for, for `OtherFieldErrors`.
 */
export function formErrors(
  error: ApiError | undefined,
  fields: FieldErrors,
  shown: readonly string[],
): { summary: ApiError | undefined; others: [string, string][] } {
  const others = otherFieldErrors(fields, shown);
  const summary =
    error && Object.keys(fields).length > 0 && others.length === 0
      ? new ApiError(error.status, error.code, 'Some settings need fixing: see the fields marked below.', fields)
      : error;
  return { summary, others };
}

/** The field errors a form has no input for, each with its field's name (`name` turns a key into words). */
export function OtherFieldErrors({
  others,
  name = (key) => key,
}: {
  others: readonly [string, string][];
  name?: (key: string) => string;
}) {
  if (others.length === 0) return null;
  return (
    <ul className="field-error" role="alert">
      {others.map(([key, message]) => (
        <li key={key}>
          {name(key)} {message}
        </li>
      ))}
    </ul>
  );
}
