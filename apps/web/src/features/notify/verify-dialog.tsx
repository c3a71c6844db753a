import { useState } from 'react';
import { api } from '../../api/client';
import type { ContactMethod } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { TextField } from '../../components/field';

export function VerifyDialog({
  method,
  onClose,
  onDone,
}: {
  method: ContactMethod;
  onClose: () => void;
  onDone: () => void;
}) {
  const [code, setCode] = useState('');
  const { busy, error, fields, submit } = useSubmit(
    () => api.post(`/api/me/contact-methods/${method.id}/verify`, { code }),
    onDone,
  );
  return (
    <Dialog title={`Verify ${method.label}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="muted">Enter the 6-digit code we sent to {method.summary}.</p>
        <TextField
          label="Code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          error={fields['code'] ?? (error && !fields['code'] ? error.message : undefined)}
          autoFocus
        />
        <DialogActions>
          <Button onClick={onClose}>Later</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Verify
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
