import type { AppContext } from '../../context.js';
import type { ZodApp } from '../zod-app.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { clientRoutes } from './clients.js';
import { contactRoutes } from './contacts.js';
import { eventRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { meRoutes } from './me.js';
import { tokenRoutes } from './tokens.js';
import { userRoutes } from './users.js';
import { overviewRoutes } from './overview.js';
import { siteRoutes } from './sites.js';
import { systemRoutes } from './systems.js';
import { agentDownloadRoutes } from './agent-downloads.js';
import { agentRoutes } from './agents.js';
import { agentSocketRoutes } from '../agent-socket.js';
import { checkRoutes } from './checks.js';
import { monitoringRoutes } from './monitoring.js';
import { pingRoutes } from './pings.js';
import { heartbeatRoutes } from './heartbeats.js';
import { alertRoutes } from './alerts.js';
import { linkRoutes } from './links.js';
import { oncallRoutes } from './oncall.js';
import { oncallViewRoutes } from './oncall-views.js';
import { notificationRoutes } from './notifications.js';
import { notifyInboundRoutes } from './notify-inbound.js';
import { displayRoutes } from './display.js';
import { powerRoutes } from './power.js';
import { clientUpdateRoutes } from './client-updates.js';
import { reportRoutes } from './reports.js';
import { checklistRoutes } from './checklists/index.js';
import { incidentRoutes } from './incidents.js';
import { taskRoutes } from './tasks.js';

export type RouteModule = (app: ZodApp, ctx: AppContext) => Promise<void>;

/** Every route module of the hub, registered in this order. */
export const routeModules: RouteModule[] = [
  healthRoutes,
  authRoutes,
  eventRoutes,
  clientRoutes,
  contactRoutes,
  siteRoutes,
  systemRoutes,
  overviewRoutes,
  userRoutes,
  tokenRoutes,
  auditRoutes,
  meRoutes,
  agentRoutes,
  agentDownloadRoutes,
  agentSocketRoutes,
  checkRoutes,
  monitoringRoutes,
  pingRoutes,
  heartbeatRoutes,
  alertRoutes,
  linkRoutes,
  oncallRoutes,
  oncallViewRoutes,
  notificationRoutes,
  notifyInboundRoutes,
  displayRoutes,
  powerRoutes,
  clientUpdateRoutes,
  checklistRoutes,
  incidentRoutes,
  taskRoutes,
  reportRoutes,
];
