import { DisplaySettings, ErrorBody, UpdateDisplaySettingsRequest } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { firmDisplay, updateFirmDisplay } from '../../domain/accounts/display.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };
const tags = ['settings'];

/** The firm's locale and clock for dates and times (each user may override them on their profile). */
export async function displayRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/settings/display',
    { schema: { tags, summary: 'The firm’s locale and clock', response: { 200: DisplaySettings, ...errors } } },
    async () => firmDisplay(ctx.db.kysely),
  );

  app.patch(
    '/api/settings/display',
    {
      schema: {
        tags,
        summary: 'Change the firm’s locale and/or clock (owners and admins; audited)',
        body: UpdateDisplaySettingsRequest,
        response: { 200: DisplaySettings, ...errors },
      },
    },
    async (request) => updateFirmDisplay(ctx, actorOf(request), request.body),
  );
}
