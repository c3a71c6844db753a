import { useState } from 'react';
import type { ClientUpdate } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { SendUpdateDialog } from '../../features/updates/send-update-dialog';
import { UpdateList, usePendingRefresh } from '../../features/updates/update-list';
import '../../features/updates/updates.css';

/** What the client has been told, and "Send update" for staff. */
export function UpdatesSection({ clientId, canSend }: { clientId: string; canSend: boolean }) {
  const { data, error, loading, reload } = useApi<{ items: ClientUpdate[] }>(
    `/api/client-updates?clientId=${clientId}`,
  );
  const [sending, setSending] = useState(false);
  usePendingRefresh(data?.items, reload);
  return (
    <Section
      title="Updates to the client"
      actions={
        canSend && (
          <Button small onClick={() => setSending(true)}>
            Send update
          </Button>
        )
      }
    >
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data && data.items.length === 0 && <p className="muted">No updates sent yet.</p>}
      {data && data.items.length > 0 && <UpdateList updates={data.items.slice(0, 5)} label="Updates sent" />}
      {sending && (
        <SendUpdateDialog
          clientId={clientId}
          onClose={() => setSending(false)}
          onSent={() => {
            setSending(false);
            reload();
          }}
        />
      )}
    </Section>
  );
}
