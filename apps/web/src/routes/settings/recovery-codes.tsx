import { useState } from 'react';
import { api } from '../../api/client';
import type { RecoveryCodes, RecoveryCodesStatus } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { CheckboxField, TextField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';

/** The ten new codes, shown once: copy them, then confirm they are saved before they go away. */
export function NewRecoveryCodes({ codes, onSaved }: { codes: string[]; onSaved: () => void }) {
  const [saved, setSaved] = useState(false);
  return (
    <section className="recovery-codes" aria-label="Your recovery codes">
      <Notice tone="warn">
        Save these recovery codes somewhere safe (a password manager, or on paper). Each one signs you in once if you
        lose your phone. They are shown only now.
      </Notice>
      <ol className="recovery-code-list">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <CopyButton text={codes.join('\n')} label="Copy codes" />
      <CheckboxField label="I have saved them" checked={saved} onChange={setSaved} />
      <Button variant="primary" className="btn-block" disabled={!saved} onClick={onSaved}>
        Done
      </Button>
    </section>
  );
}

/** How many codes are left, and new ones for the password (the old ones stop working). */
export function RecoveryCodesPanel({ onNewCodes }: { onNewCodes: (codes: string[]) => void }) {
  const status = useApi<RecoveryCodesStatus>('/api/me/totp/recovery-codes', { live: false });
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState('');
  const regenerate = useSubmit(
    () => api.post<RecoveryCodes>('/api/me/totp/recovery-codes', { password }),
    (result) => {
      setPassword('');
      setAsking(false);
      status.reload();
      onNewCodes(result.recoveryCodes);
    },
  );
  const left = status.data?.left;
  return (
    <div className="card-part">
      <h3>Recovery codes</h3>
      <p className="muted small">If you lose your phone, each recovery code signs you in once instead of the app.</p>
      {left !== undefined && (
        <p className={left <= 2 ? 'warn-text' : 'muted'}>
          {left === 1 ? '1 recovery code left.' : `${left} recovery codes left.`}
          {left <= 2 && ' Make new ones before you run out.'}
        </p>
      )}
      {!asking ? (
        <Button onClick={() => setAsking(true)}>New recovery codes</Button>
      ) : (
        <form onSubmit={regenerate.submit} noValidate>
          <ErrorNotice error={regenerate.error} />
          <TextField
            label="Your password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={regenerate.fields['password']}
            hint="New codes replace all the old ones."
          />
          <div className="form-actions">
            <Button onClick={() => (setAsking(false), setPassword(''))}>Cancel</Button>
            <Button type="submit" variant="primary" busy={regenerate.busy} disabled={!password}>
              Make new codes
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
