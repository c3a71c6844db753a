import { loadOnFirstUse } from '../../components/load-on-first-use';

// The heartbeat form (schedule, keywords, e-mail rules) loads when first opened.
export const HeartbeatFormDialog = loadOnFirstUse(() => import('./heartbeat-form').then((m) => m.HeartbeatFormDialog));
