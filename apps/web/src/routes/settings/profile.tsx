import { useState } from 'react';
import { api } from '../../api/client';
import type { DisplaySettings, TotpEnabled, TotpSetup, User } from '../../api/types';
import { useApi } from '../../api/use-api';
import { DisplayForm } from '../../features/session/display-form';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { TextField } from '../../components/field';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Notice } from '../../components/notice';
import { useMe, useSession } from '../../features/session/session';
import { NewRecoveryCodes, RecoveryCodesPanel } from './recovery-codes';

export function ProfileScreen() {
  return (
    <>
      <ScreenHeader title="Profile and security" back={{ href: '/settings', label: 'Settings' }} />
      <div className="columns">
        <div>
          <NameForm />
          <OwnDisplay />
          <PasswordForm />
        </div>
        <div>
          <TwoFactor />
        </div>
      </div>
    </>
  );
}

function NameForm() {
  const { user } = useMe();
  const { updateUser } = useSession();
  const [name, setName] = useState(user.name);
  const [saved, setSaved] = useState(false);
  const { busy, error, fields, submit } = useSubmit(
    () => api.patch<User>('/api/me', { name }),
    (u) => {
      updateUser(u);
      setSaved(true);
    },
  );
  return (
    <Section title="Profile">
      <form className="card form-card" onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        {saved && !error && <Notice tone="ok">Saved.</Notice>}
        <TextField
          label="Your name"
          autoComplete="name"
          value={name}
          onChange={(e) => (setName(e.target.value), setSaved(false))}
          error={fields['name']}
          required
        />
        <p className="muted small">Signed in as {user.email}. Your e-mail is changed by an owner or admin.</p>
        <Button type="submit" variant="primary" busy={busy}>
          Save name
        </Button>
      </form>
    </Section>
  );
}

/** One's own dates and times; each left empty follows the firm's. */
function OwnDisplay() {
  const { user } = useMe();
  const { updateUser, reloadDisplay } = useSession();
  const firm = useApi<DisplaySettings>('/api/settings/display', { live: false });
  if (!firm.data) return null;
  return (
    <Section title="Your dates and times">
      <DisplayForm
        value={user.display}
        inherit={firm.data}
        save={async (display) => updateUser(await api.patch<User>('/api/me', { display }))}
        onSaved={() => void reloadDisplay()}
      />
    </Section>
  );
}

function PasswordForm() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, fields, submit } = useSubmit(
    () => api.patch<User>('/api/me', { currentPassword, newPassword }),
    () => {
      setCurrent('');
      setNew('');
      setDone(true);
    },
  );
  return (
    <Section title="Password">
      <form className="card form-card" onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        {done && !error && <Notice tone="ok">Password changed.</Notice>}
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => (setCurrent(e.target.value), setDone(false))}
          error={fields['currentPassword']}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => (setNew(e.target.value), setDone(false))}
          error={fields['newPassword']}
          hint="At least 10 characters. A phrase of a few words is easy to type on a phone."
        />
        <Button type="submit" variant="primary" busy={busy} disabled={!currentPassword || !newPassword}>
          Change password
        </Button>
      </form>
    </Section>
  );
}

/** Two-factor: set up (QR, secret, otpauth link), confirm with a code; or turn off with a code. */
function TwoFactor() {
  const { user } = useMe();
  const { updateUser } = useSession();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  // Turning it off without the phone: a recovery code instead of the app's code.
  const [offWithRecovery, setOffWithRecovery] = useState(false);
  const refreshMe = () => api.get<User>('/api/me').then(updateUser);

  const start = useSubmit(
    () => api.post<TotpSetup>('/api/me/totp/setup'),
    (s) => {
      setSetup(s);
      setCode('');
    },
  );
  const enable = useSubmit(
    () => api.post<TotpEnabled>('/api/me/totp/enable', { code: code.replace(/\s/g, '') }),
    ({ recoveryCodes, ...me }) => {
      setSetup(null);
      setCode('');
      setNewCodes(recoveryCodes);
      updateUser(me);
    },
  );
  const disable = useSubmit(
    () =>
      api
        .post(
          '/api/me/totp/disable',
          offWithRecovery ? { recoveryCode: code.trim() } : { code: code.replace(/\s/g, '') },
        )
        .then(refreshMe),
    () => (setCode(''), setOffWithRecovery(false)),
  );

  return (
    <Section title="Two-factor sign-in">
      <div className="card form-card">
        {newCodes ? (
          <NewRecoveryCodes codes={newCodes} onSaved={() => setNewCodes(null)} />
        ) : user.totpEnabled ? (
          <>
            <Notice tone="ok">Two-factor is on. Signing in asks for a code from your authenticator app.</Notice>
            <RecoveryCodesPanel onNewCodes={setNewCodes} />
            <form className="card-part" onSubmit={disable.submit} noValidate>
              <h3>Turn off</h3>
              <ErrorNotice error={disable.error} />
              {offWithRecovery ? (
                <TextField
                  key="recovery"
                  label="Recovery code to turn it off"
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  maxLength={20}
                  placeholder="xxxx-xxxx-xxxx"
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  error={disable.fields['recoveryCode']}
                />
              ) : (
                <TextField
                  key="totp"
                  label="Code to turn it off"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  className="field-code"
                  maxLength={7}
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  error={disable.fields['code']}
                />
              )}
              <div className="form-actions">
                <Button variant="ghost" onClick={() => (setOffWithRecovery(!offWithRecovery), setCode(''))}>
                  {offWithRecovery ? 'Use the app’s code' : 'Lost your phone? Use a recovery code'}
                </Button>
                <Button type="submit" variant="danger" busy={disable.busy} disabled={code.trim().length < 6}>
                  Turn off two-factor
                </Button>
              </div>
            </form>
          </>
        ) : !setup ? (
          <>
            <p>Protect your account with a code from an authenticator app (1Password, Google Authenticator, Authy…).</p>
            <ErrorNotice error={start.error} />
            <Button variant="primary" busy={start.busy} onClick={() => start.submit()}>
              Set up two-factor
            </Button>
          </>
        ) : (
          <form onSubmit={enable.submit} noValidate>
            <ol className="steps">
              <li>
                <p>Scan this code with your authenticator app, or on this phone open it directly:</p>
                <div
                  className="qr"
                  role="img"
                  aria-label="QR code for your authenticator app"
                  // biome-ignore lint/security/noDangerouslySetInnerHtml: the hub's own QR code SVG (qrcode library), no user text in it
                  dangerouslySetInnerHTML={{ __html: setup.qrSvg }}
                />
                <a className="btn btn-secondary btn-block" href={setup.otpauthUrl}>
                  Open in authenticator app
                </a>
              </li>
              <li>
                <p>Or type this secret into the app:</p>
                <div className="secret">
                  <code aria-label="Two-factor secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
                  <CopyButton text={setup.secret} label="Copy secret" />
                </div>
              </li>
              <li>
                <p>Then enter the 6-digit code the app shows:</p>
                <ErrorNotice error={enable.error} />
                <TextField
                  label="6-digit code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  className="field-code"
                  maxLength={7}
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  error={enable.fields['code']}
                />
              </li>
            </ol>
            <div className="form-actions">
              <Button onClick={() => setSetup(null)}>Cancel</Button>
              <Button type="submit" variant="primary" busy={enable.busy} disabled={code.trim().length < 6}>
                Turn on two-factor
              </Button>
            </div>
          </form>
        )}
      </div>
    </Section>
  );
}
