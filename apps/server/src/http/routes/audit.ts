import { AuditPage, AuditQuery, ErrorBody } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { listAudit } from '../../domain/accounts/audit.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

/** The audit log of every change: staff only. */
export async function auditRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The audit log, newest first; page with `before` = the previous nextCursor',
        querystring: AuditQuery,
        response: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => listAudit(ctx, actorOf(request), request.query),
  );
}
