import type { IncidentDetail } from '@afterhours/shared';

/**
 * The place on the incident screen for telling the client: "Send update" and "Report" (the client-updates
 * work adds them here, with the updates sent so far). Nothing yet.
 */
export function IncidentClientActions(_props: { incident: IncidentDetail; onChange: () => void }) {
  return null;
}
