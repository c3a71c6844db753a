import { useState } from 'react';
import { api } from '../../api/client';
import type { Session } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { TextField } from '../../components/field';
import { MoonIcon } from '../../components/icons';
import { ErrorNotice } from '../../components/notice';
import { useSession } from '../../features/session/session';

/** First run: the hub has no users yet; create the owner account. */
export function SetupScreen() {
  const { start } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, fields, submit } = useSubmit(() => api.post<Session>('/api/setup', { name, email, password }), start);

  return (
    <div className="auth">
      <form className="auth-card" onSubmit={submit} noValidate>
        <div className="auth-brand">
          <MoonIcon />
          <span>Afterhours</span>
        </div>
        <h1>Set up Afterhours</h1>
        <p className="muted">Create the owner account. You can add colleagues and clients next.</p>
        <ErrorNotice error={error} />
        <TextField label="Your name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={fields['name']} required />
        <TextField
          label="E-mail"
          type="email"
          autoComplete="username"
          autoCapitalize="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields['email']}
          required
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields['password']}
          hint="At least 10 characters."
          required
        />
        <Button type="submit" variant="primary" busy={busy} className="btn-block">
          Create owner account
        </Button>
      </form>
    </div>
  );
}
