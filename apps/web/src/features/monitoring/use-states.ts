import type { StatusSummary } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { nowModel, type ClientView, type SiteView } from './now-model';
import { WORST_RANK, type Worst } from './state';

export interface States {
  client(id: string): ClientView | undefined;
  site(id: string): SiteView | undefined;
}

/**
 * Each client's and site's state as Now sees it (the hub's compact summary, live), for the screens that
 * list clients and sites.
 */
export function useStates(): States {
  const { data } = useApi<StatusSummary>('/api/status/summary');
  const clients = data ? nowModel(data) : [];
  const byClient = new Map(clients.map((c) => [c.client.id, c]));
  const bySite = new Map(clients.flatMap((c) => c.sites.map((s) => [s.site.id, s] as const)));
  return { client: (id) => byClient.get(id), site: (id) => bySite.get(id) };
}

/** Problems first (Now's order), keeping the list's own order among equals. */
export function problemsFirst<T>(items: readonly T[], stateOf: (item: T) => Worst | undefined): T[] {
  const rank = (item: T) => WORST_RANK[stateOf(item) ?? 'none'];
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => Math.min(rank(a.item), 3) - Math.min(rank(b.item), 3) || a.index - b.index)
    .map((x) => x.item);
}
