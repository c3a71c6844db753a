import { loadOnFirstUse } from '../../components/load-on-first-use';

// The power setup dialogs load when first opened, keeping them out of the site screen's first download.
export const UpsFormDialog = loadOnFirstUse(() => import('./ups-form').then((m) => m.UpsFormDialog));
export const SystemPowerDialog = loadOnFirstUse(() => import('./actions-form').then((m) => m.SystemPowerDialog));
export const PlanDialog = loadOnFirstUse(() => import('./plan-form').then((m) => m.PlanDialog));
export const RepinDialog = loadOnFirstUse(() => import('./repin-dialog').then((m) => m.RepinDialog));
