import { useState } from 'react';
import type { IncidentDetail } from '@afterhours/shared';
import { Link } from 'wouter';
import type { ClientUpdate } from '../../api/types';
import type { ApiState } from '../../api/use-api';
import { Button } from '../../components/button';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';
import { SendUpdateDialog } from '../updates/send-update-dialog';
import { UpdateList } from '../updates/update-list';
import '../updates/updates.css';

/**
 * Telling the client, on the incident screen: "Send update" (staff) and the report (everyone who may see the
 * incident, the client's own people too), with the updates sent so far and how each message stands.
 */
export function IncidentClientActions({
  incident,
  updates,
  onChange,
}: {
  incident: IncidentDetail;
  updates: ApiState<{ items: ClientUpdate[] }>;
  onChange: () => void;
}) {
  const [sending, setSending] = useState(false);
  const sent = updates.data?.items ?? [];
  return (
    <Section title="The client">
      <div className="client-actions">
        {incident.canEdit && (
          <Button variant="primary" onClick={() => setSending(true)}>
            Send update
          </Button>
        )}
        <Link href={`/incidents/${incident.id}/report`} className="btn btn-secondary">
          Report
        </Link>
      </div>
      <ErrorNotice error={updates.error} onRetry={updates.reload} />
      {sent.length === 0 ? (
        <p className="muted small">No update sent to {incident.clientName} yet.</p>
      ) : (
        <UpdateList updates={sent.slice(0, 3)} label="Updates sent" />
      )}
      {sending && (
        <SendUpdateDialog
          clientId={incident.clientId}
          incidentId={incident.id}
          onClose={() => setSending(false)}
          onSent={() => {
            setSending(false);
            updates.reload();
            onChange();
          }}
        />
      )}
    </Section>
  );
}
