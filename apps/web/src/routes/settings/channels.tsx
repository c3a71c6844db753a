import { useState } from 'react';
import { api } from '../../api/client';
import type { HubChannelSettingsView } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { SelectField, TextField } from '../../components/field';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading, Notice } from '../../components/notice';

/** The hub's outgoing channels (owners and admins): the mail server, the SMS and voice provider. */
export function ChannelsScreen() {
  const { data, error, loading, reload } = useApi<HubChannelSettingsView>('/api/settings/channels');
  return (
    <>
      <ScreenHeader title="Hub channels" back={{ href: '/settings/notifications', label: 'Notifications' }} />
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data && (
        <>
          <SmtpForm key={data.smtp ? 'set' : 'unset'} current={data.smtp} onSaved={reload} />
          <TwilioForm key={data.twilio ? 'set' : 'unset'} current={data.twilio} onSaved={reload} />
          <Section title="Push">
            <p className="muted small">
              {data.pushPublicKey
                ? 'Push keys were made when the hub first started; phones subscribe with them.'
                : 'No push keys yet.'}
            </p>
          </Section>
        </>
      )}
    </>
  );
}

function SmtpForm({ current, onSaved }: { current: HubChannelSettingsView['smtp']; onSaved: () => void }) {
  const [host, setHost] = useState(current?.host ?? '');
  const [port, setPort] = useState(String(current?.port ?? 587));
  const [security, setSecurity] = useState<'tls' | 'starttls' | 'none'>(current?.security ?? 'starttls');
  const [username, setUsername] = useState(current?.username ?? '');
  const [password, setPassword] = useState('');
  const [from, setFrom] = useState(current?.from ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, fields, submit } = useSubmit(
    () =>
      api.put('/api/settings/channels/smtp', {
        host,
        port: Number(port),
        security,
        ...(username ? { username } : {}),
        ...(password ? { password } : {}),
        from,
      }),
    () => {
      setSaved(true);
      setPassword('');
      onSaved();
    },
  );
  return (
    <Section title="Outgoing mail">
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        {saved && <Notice tone="ok">Saved.</Notice>}
        <TextField
          label="SMTP server"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          error={fields['host']}
          placeholder="smtp.example.com"
        />
        <div className="inline-form">
          <TextField
            label="Port"
            type="number"
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            error={fields['port']}
          />
          <SelectField
            label="Security"
            value={security}
            onChange={(e) => setSecurity(e.target.value as typeof security)}
            options={[
              { value: 'starttls', label: 'STARTTLS' },
              { value: 'tls', label: 'TLS' },
              { value: 'none', label: 'None' },
            ]}
          />
        </div>
        <TextField
          label="User name (optional)"
          value={username}
          autoComplete="off"
          onChange={(e) => setUsername(e.target.value)}
          error={fields['username']}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          placeholder={current?.hasPassword ? 'Unchanged' : ''}
          onChange={(e) => setPassword(e.target.value)}
          error={fields['password']}
        />
        <TextField
          label="Send as"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          error={fields['from']}
          placeholder="Afterhours <alerts@example.com>"
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Save mail server
          </Button>
          {current && (
            <RemoveChannel
              what="mail server"
              path="/api/settings/channels/smtp"
              consequence="Nobody is sent e-mail (pages, codes, client updates) until a mail server is set again. Its password is deleted."
              onDone={onSaved}
            />
          )}
        </div>
      </form>
    </Section>
  );
}

function TwilioForm({ current, onSaved }: { current: HubChannelSettingsView['twilio']; onSaved: () => void }) {
  const [baseUrl, setBaseUrl] = useState(current?.baseUrl ?? 'https://api.twilio.com');
  const [accountSid, setAccountSid] = useState(current?.accountSid ?? '');
  const [authToken, setAuthToken] = useState('');
  const [from, setFrom] = useState(current?.from ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, fields, submit } = useSubmit(
    () =>
      api.put('/api/settings/channels/sms-voice', { baseUrl, accountSid, ...(authToken ? { authToken } : {}), from }),
    () => {
      setSaved(true);
      setAuthToken('');
      onSaved();
    },
  );
  return (
    <Section title="SMS and voice calls">
      <p className="muted small">Twilio, or any provider with the same API (set its address below).</p>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        {saved && <Notice tone="ok">Saved.</Notice>}
        <TextField
          label="API address"
          type="url"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          error={fields['baseUrl']}
        />
        <TextField
          label="Account SID"
          value={accountSid}
          autoComplete="off"
          onChange={(e) => setAccountSid(e.target.value)}
          error={fields['accountSid']}
        />
        <TextField
          label="Auth token"
          type="password"
          autoComplete="new-password"
          value={authToken}
          placeholder={current?.hasAuthToken ? 'Unchanged' : ''}
          onChange={(e) => setAuthToken(e.target.value)}
          error={fields['authToken']}
        />
        <TextField
          label="From number"
          type="tel"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          error={fields['from']}
          placeholder="+441632960000"
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Save SMS and voice
          </Button>
          {current && (
            <RemoveChannel
              what="SMS and voice provider"
              path="/api/settings/channels/sms-voice"
              consequence="Nobody is sent an SMS or called until a provider is set again. Its auth token is deleted."
              onDone={onSaved}
            />
          )}
        </div>
      </form>
    </Section>
  );
}

/** Removes a hub channel after a confirmation that says what stops. */
function RemoveChannel({
  what,
  path,
  consequence,
  onDone,
}: {
  what: string;
  path: string;
  consequence: string;
  onDone: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Button variant="ghost" className="text-danger" onClick={() => setConfirming(true)}>
        Remove {what}
      </Button>
      {confirming && (
        <ConfirmDialog
          title={`Remove the ${what}?`}
          message={<p>{consequence}</p>}
          confirmLabel={`Remove ${what}`}
          onConfirm={() => api.del(path)}
          onClose={() => setConfirming(false)}
          onDone={onDone}
        />
      )}
    </>
  );
}
