import { loadOnFirstUse } from '../../components/load-on-first-use';

// The check form (every kind's fields) loads when first opened, keeping it out of the first download.
export const CheckFormDialog = loadOnFirstUse(() => import('./check-form').then((m) => m.CheckFormDialog));
