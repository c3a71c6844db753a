import { useState } from 'react';
import { api } from '../../api/client';
import type { Session } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { AuthCard, CredentialFields } from '../../features/session/auth-form';
import { useSession } from '../../features/session/session';
import { deviceDisplayPreferences } from '../../lib/date-format';

/** First run: the hub has no users yet; create the owner account. */
export function SetupScreen() {
  const { start } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, fields, submit } = useSubmit(
    // The firm's dates and times start as this browser's; settings can change them later.
    () => api.post<Session>('/api/setup', { name, email, password, display: deviceDisplayPreferences() }),
    start,
  );

  return (
    <AuthCard title="Set up Afterhours" onSubmit={submit}>
      <p className="muted">Create the owner account. You can add colleagues and clients next.</p>
      <ErrorNotice error={error} />
      <TextField
        label="Your name"
        autoComplete="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fields['name']}
        required
      />
      <CredentialFields
        email={email}
        password={password}
        onEmail={setEmail}
        onPassword={setPassword}
        fields={fields}
        newPassword
      />
      <Button type="submit" variant="primary" busy={busy} className="btn-block">
        Create owner account
      </Button>
    </AuthCard>
  );
}
