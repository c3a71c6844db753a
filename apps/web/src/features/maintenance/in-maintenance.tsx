import type { MaintenanceWindow } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { clockTime } from '../../lib/date-format';

/** The maintenance windows in force now: of one site, everywhere the user may see (undefined), or none yet (null). */
export function useActiveMaintenance(siteId?: string | null): MaintenanceWindow[] {
  const list = useApi<{ items: MaintenanceWindow[] }>(
    siteId === null ? null : `/api/maintenance?active=true${siteId ? `&siteId=${encodeURIComponent(siteId)}` : ''}`,
  );
  return list.data?.items ?? [];
}

/** The window a system is in (one for its whole site, or one naming it); with no system, a whole-site one. */
export function windowFor(
  windows: readonly MaintenanceWindow[],
  siteId: string,
  systemId?: string,
): MaintenanceWindow | undefined {
  return windows.find(
    (w) =>
      w.siteId === siteId &&
      w.active &&
      (w.systemIds.length === 0 || (systemId !== undefined && w.systemIds.includes(systemId))),
  );
}

/** "In maintenance until 14:00 · Replacing the UPS batteries": alerts here page nobody until then. */
export function InMaintenance({ window, now, what }: { window: MaintenanceWindow; now: Date; what?: string }) {
  return (
    <p className="maintenance-note" title="Alerts here are recorded and page nobody">
      <span className="badge badge-info">In maintenance</span> {what && `${what} `}
      {window.until ? `until ${clockTime(window.until, now, window.timeZone)}` : 'until ended'} · {window.reason}
    </p>
  );
}
