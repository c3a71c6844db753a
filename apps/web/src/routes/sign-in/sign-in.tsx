import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { Session } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { TextField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';
import { AuthCard, CredentialFields } from '../../features/session/auth-form';
import { useSession } from '../../features/session/session';

/** E-mail and password; when the hub answers totp_required, a second step asks for the 6-digit code. */
export function SignInScreen({ reason }: { reason?: string | undefined }) {
  const { start } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  // Signed in with a recovery code: say how many are left before going on.
  const [recovered, setRecovered] = useState<Session | null>(null);

  const { busy, error, fields, submit, clear } = useSubmit(
    () =>
      api.post<Session>('/api/auth/sign-in', {
        email,
        password,
        ...(needsCode && useRecovery ? { recoveryCode: code.trim() } : {}),
        ...(needsCode && !useRecovery ? { totpCode: code.replace(/\s/g, '') } : {}),
      }),
    (session) => (session.recoveryCodesLeft === undefined ? start(session) : setRecovered(session)),
  );

  useEffect(() => {
    if (error?.code === 'totp_required') {
      setNeedsCode(true);
    }
  }, [error]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again when the kind of code changes
  useEffect(() => {
    if (needsCode) codeRef.current?.focus();
  }, [needsCode, useRecovery]);

  // The hub's "enter the code" answer is the prompt, not a failure: show it as guidance.
  const shownError = error?.code === 'totp_required' ? undefined : error;

  if (recovered) {
    const left = recovered.recoveryCodesLeft ?? 0;
    return (
      <AuthCard title="Signed in with a recovery code" onSubmit={(e) => (e.preventDefault(), start(recovered))}>
        <Notice tone={left <= 2 ? 'warn' : 'ok'}>
          That code is now used up. You have {left === 1 ? '1 recovery code' : `${left} recovery codes`} left.
        </Notice>
        <p className="muted">
          Lost your phone? In Settings → Profile and security, turn two-factor off with another recovery code, then set
          it up on the new phone.
        </p>
        <Button type="submit" variant="primary" className="btn-block">
          Continue
        </Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={needsCode ? (useRecovery ? 'Recovery code' : 'Two-factor code') : 'Sign in'} onSubmit={submit}>
      {reason && !error && <Notice>{reason}</Notice>}
      <ErrorNotice error={shownError} />
      {!needsCode ? (
        <CredentialFields
          email={email}
          password={password}
          onEmail={setEmail}
          onPassword={setPassword}
          fields={fields}
        />
      ) : useRecovery ? (
        <>
          <p className="muted">
            Enter one of your recovery codes for {email}. Each code works once; make new ones in your profile
            afterwards.
          </p>
          <TextField
            key="recovery"
            ref={codeRef}
            label="Recovery code"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={20}
            placeholder="xxxx-xxxx-xxxx"
            className="field-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={fields['recoveryCode']}
            required
          />
        </>
      ) : (
        <>
          <p className="muted">Enter the 6-digit code from your authenticator app for {email}.</p>
          <TextField
            key="totp"
            ref={codeRef}
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={7}
            className="field-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={error?.code === 'totp_required' ? undefined : fields['totpCode']}
            required
          />
        </>
      )}
      <Button type="submit" variant="primary" busy={busy} className="btn-block">
        {needsCode ? 'Verify and sign in' : 'Sign in'}
      </Button>
      {needsCode && (
        <Button
          variant="ghost"
          className="btn-block"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setCode('');
            clear();
          }}
        >
          {useRecovery ? 'Use the authenticator app' : 'Use a recovery code'}
        </Button>
      )}
      {needsCode && (
        <Button
          variant="ghost"
          className="btn-block"
          onClick={() => {
            setNeedsCode(false);
            setUseRecovery(false);
            setCode('');
            clear();
          }}
        >
          Use a different account
        </Button>
      )}
    </AuthCard>
  );
}
