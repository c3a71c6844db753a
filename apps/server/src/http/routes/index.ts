import type { AppContext } from '../../context.js';
import type { ZodApp } from '../zod-app.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { eventRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { meRoutes } from './me.js';
import { tokenRoutes } from './tokens.js';
import { userRoutes } from './users.js';

export type RouteModule = (app: ZodApp, ctx: AppContext) => Promise<void>;

/** Every route module of the hub, registered in this order. */
export const routeModules: RouteModule[] = [healthRoutes, authRoutes, eventRoutes, userRoutes, tokenRoutes, auditRoutes, meRoutes];
