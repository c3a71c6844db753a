import { api } from '../../api/client';
import type { DisplaySettings } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { DisplayForm } from '../../features/session/display-form';
import { useMe, useSession } from '../../features/session/session';

/** The firm's language for dates and its clock; everyone sees these unless they chose their own. */
export function DisplayScreen() {
  const { canManage } = useMe();
  const { reloadDisplay } = useSession();
  const firm = useApi<DisplaySettings>('/api/settings/display', { live: false });
  return (
    <>
      <ScreenHeader title="Dates and times" back={{ href: '/settings', label: 'Settings' }} />
      <Section title="For the whole firm">
        <p className="muted">
          How every screen shows dates and times, for everyone who has not chosen their own on their profile.
          {!canManage && ' Only an owner or admin can change it.'}
        </p>
        <ErrorNotice error={firm.error} onRetry={firm.reload} />
        {!firm.data && firm.loading && <Loading />}
        {firm.data && (
          <DisplayForm
            value={firm.data}
            readOnly={!canManage}
            save={(next) => api.patch('/api/settings/display', next)}
            onSaved={() => {
              firm.reload();
              void reloadDisplay();
            }}
          />
        )}
      </Section>
    </>
  );
}
