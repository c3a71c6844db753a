import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

interface Props extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  /** Shows a spinner and blocks clicks while a request runs; the accessible name stays the same. */
  busy?: boolean;
  small?: boolean;
}

export function Button({
  variant = 'secondary',
  busy = false,
  small = false,
  className,
  children,
  disabled,
  type,
  ...rest
}: Props) {
  const classes = ['btn', `btn-${variant}`, small ? 'btn-small' : '', busy ? 'is-busy' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type={type ?? 'button'}
      className={classes}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
