import type { ClientUpdate } from '../../api/types';
import { type ApiState, useApi } from '../../api/use-api';
import { usePendingRefresh } from './update-list';

/** Updates sent for a client, an incident or a checklist run, refreshed while any message is still waiting. */
export function useClientUpdates(query: string): ApiState<{ items: ClientUpdate[] }> {
  const state = useApi<{ items: ClientUpdate[] }>(`/api/client-updates?${query}`);
  usePendingRefresh(state.data?.items, state.reload);
  return state;
}
