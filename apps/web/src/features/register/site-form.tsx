import { useState } from 'react';
import { api } from '../../api/client';
import type { Site } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { TextAreaField, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { deviceTimeZone } from './time';
import { TimeZoneField } from './time-zone-field';

/** Add a site to a client, or edit one. */
export function SiteFormDialog({
  clientId,
  site,
  defaultTimeZone,
  onClose,
  onSaved,
}: {
  clientId: string;
  site?: Site;
  /** For a new site: the client's zone (its contract's), else this device's. */
  defaultTimeZone?: string | undefined;
  onClose: () => void;
  onSaved?: (site: Site) => void;
}) {
  const [name, setName] = useState(site?.name ?? '');
  const [address, setAddress] = useState(site?.address ?? '');
  const [timeZone, setTimeZone] = useState(site?.timeZone ?? defaultTimeZone ?? deviceTimeZone());
  const [notes, setNotes] = useState(site?.notes ?? '');
  const { busy, error, fields, submit } = useSubmit(
    () =>
      site
        ? api.patch<Site>(`/api/sites/${site.id}`, { name, address, timeZone: timeZone.trim(), notes })
        : api.post<Site>('/api/sites', { clientId, name, address, timeZone: timeZone.trim(), notes }),
    (saved) => {
      onClose();
      onSaved?.(saved);
    },
  );
  return (
    <Dialog title={site ? `Edit ${site.name}` : 'Add site'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField
          label="Site name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          required
          autoFocus={!site}
          placeholder="Head office"
        />
        <TimeZoneField value={timeZone} onChange={setTimeZone} error={fields['timeZone']} />
        <TextAreaField
          label="Address"
          rows={2}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          error={fields['address']}
        />
        <TextAreaField
          label="Site notes"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          error={fields['notes']}
          hint="Keys, alarm, parking, where the server cupboard is."
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save site
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
