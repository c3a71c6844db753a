import type { FormEvent, ReactNode } from 'react';
import type { FieldErrors } from '../../api/client';
import { TextField } from '../../components/field';
import { MoonIcon } from '../../components/icons';

/** The card of the first-run and sign-in screens: the brand, the heading, then the form's contents. */
export function AuthCard({
  title,
  onSubmit,
  children,
}: {
  title: string;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}) {
  return (
    <div className="auth">
      <form className="auth-card" onSubmit={onSubmit} noValidate>
        <div className="auth-brand">
          <MoonIcon />
          <span>Afterhours</span>
        </div>
        <h1>{title}</h1>
        {children}
      </form>
    </div>
  );
}

/**
 * "E-mail" and "Password" with the hub's errors under each. `newPassword` for an account being made
 * (the password manager offers to generate one; the hint says how long).
 */
export function CredentialFields({
  email,
  password,
  onEmail,
  onPassword,
  fields,
  newPassword = false,
}: {
  email: string;
  password: string;
  onEmail: (value: string) => void;
  onPassword: (value: string) => void;
  fields: FieldErrors;
  newPassword?: boolean;
}) {
  return (
    <>
      <TextField
        label="E-mail"
        type="email"
        autoComplete="username"
        autoCapitalize="off"
        value={email}
        onChange={(e) => onEmail(e.target.value)}
        error={fields['email']}
        required
      />
      <TextField
        label="Password"
        type="password"
        autoComplete={newPassword ? 'new-password' : 'current-password'}
        value={password}
        onChange={(e) => onPassword(e.target.value)}
        error={fields['password']}
        hint={newPassword ? 'At least 10 characters.' : undefined}
        required
      />
    </>
  );
}
