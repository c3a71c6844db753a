import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import type { ContactMethod, DeliveryLogEntry, NotificationSettings } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { ChevronIcon, PlusIcon } from '../../components/icons';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { AddMethodDialog } from '../../features/notify/add-method-dialog';
import { DeliveryLog } from '../../features/notify/delivery-log';
import { MethodList } from '../../features/notify/method-list';
import { QuietHoursSection } from '../../features/notify/quiet-hours-section';
import { RulesSection } from '../../features/notify/rules-section';
import { VerifyDialog } from '../../features/notify/verify-dialog';
import { useMe } from '../../features/session/session';

/** My notification settings: how to reach me, when, quiet hours, and what was sent to me. */
export function NotificationsScreen() {
  const { canManage } = useMe();
  const settings = useApi<NotificationSettings>('/api/me/notifications');
  const log = useApi<{ items: DeliveryLogEntry[] }>('/api/me/deliveries?limit=20');
  const [adding, setAdding] = useState(false);
  const [verifying, setVerifying] = useState<ContactMethod | null>(null);
  const [removing, setRemoving] = useState<ContactMethod | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const reload = useCallback(() => {
    settings.reload();
    log.reload();
  }, [settings, log]);
  const data = settings.data;
  return (
    <>
      <ScreenHeader
        title="Notifications"
        back={{ href: '/settings', label: 'Settings' }}
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            <PlusIcon /> Add
          </Button>
        }
      />
      <ErrorNotice error={settings.error} onRetry={settings.reload} />
      {!data && settings.loading && <Loading />}
      {sent && <Notice tone="ok">{sent}</Notice>}
      {data && (
        <>
          <Section title="How to reach me">
            <MethodList
              data={data}
              onVerify={setVerifying}
              onRemove={setRemoving}
              onSent={(text) => {
                setSent(text);
                log.reload();
              }}
            />
          </Section>
          <RulesSection data={data} onChange={reload} />
          <QuietHoursSection data={data} onSaved={reload} />
        </>
      )}
      <DeliveryLog log={log} />
      {canManage && (
        <ul className="card rows after-section">
          <li>
            <Link href="/settings/channels" className="row">
              <span className="row-main">
                <span className="row-title">Hub channels</span>
                <span className="row-meta">Outgoing mail server, SMS and voice provider</span>
              </span>
              <ChevronIcon />
            </Link>
          </li>
        </ul>
      )}
      {adding && data && (
        <AddMethodDialog
          data={data}
          onClose={() => setAdding(false)}
          onAdded={(m) => {
            setAdding(false);
            setSent(`We sent a code to ${m.summary}. Enter it to start getting alerts there.`);
            reload();
            setVerifying(m);
          }}
        />
      )}
      {verifying && (
        <VerifyDialog
          method={verifying}
          onClose={() => setVerifying(null)}
          onDone={() => {
            setVerifying(null);
            setSent(null);
            reload();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.label}?`}
          message={<p>Pages will no longer go to {removing.summary}.</p>}
          confirmLabel="Remove"
          onConfirm={() => api.del(`/api/me/contact-methods/${removing.id}`)}
          onClose={() => setRemoving(null)}
          onDone={reload}
        />
      )}
    </>
  );
}
