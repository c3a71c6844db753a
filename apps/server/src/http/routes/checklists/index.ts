import type { AppContext } from '../../../context.js';
import type { ZodApp } from '../../zod-app.js';
import { checklistPhotoRoutes } from './photos.js';
import { checklistReportRoutes } from './reports.js';
import { checklistRunRoutes } from './runs.js';
import { checklistScheduleRoutes } from './schedules.js';
import { checklistTemplateRoutes } from './templates.js';

/** Checklists: templates (with their site bindings), runs, schedules, run reports and step photos. */
export async function checklistRoutes(app: ZodApp, ctx: AppContext) {
  await checklistTemplateRoutes(app, ctx);
  await checklistRunRoutes(app, ctx);
  await checklistScheduleRoutes(app, ctx);
  await checklistReportRoutes(app, ctx);
  await checklistPhotoRoutes(app, ctx);
}
