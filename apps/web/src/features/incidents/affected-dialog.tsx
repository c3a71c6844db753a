import { useState } from 'react';
import type { IncidentDetail } from '@afterhours/shared';
import { api } from '../../api/client';
import type { SystemList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField } from '../../components/field';
import { ErrorNotice, Loading } from '../../components/notice';

/** Which of the client's systems the incident affects (their sites come with them). */
export function AffectedDialog({
  incident,
  onClose,
  onSaved,
}: {
  incident: IncidentDetail;
  onClose: () => void;
  onSaved: () => void;
}) {
  const systems = useApi<SystemList>(`/api/systems?clientId=${incident.clientId}&limit=500`, { live: false });
  const [picked, setPicked] = useState<string[]>(incident.systems.map((s) => s.id));
  const save = useSubmit(
    () =>
      api.put(`/api/incidents/${incident.id}/affected`, {
        siteIds: incident.sites.map((s) => s.id),
        systemIds: picked,
      }),
    () => {
      onClose();
      onSaved();
    },
  );
  return (
    <Dialog title="Affected systems" onClose={onClose}>
      {!systems.data && <Loading />}
      <ErrorNotice error={systems.error} />
      <div className="affected-choices">
        {(systems.data?.items ?? []).map((s) => (
          <CheckboxField
            key={s.id}
            label={s.name}
            hint={s.siteName}
            checked={picked.includes(s.id)}
            onChange={(on) => setPicked(on ? [...picked, s.id] : picked.filter((x) => x !== s.id))}
          />
        ))}
      </div>
      <ErrorNotice error={save.error} />
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="primary" busy={save.busy} onClick={() => save.submit()}>
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
