import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { acknowledgeSubject } from '../../domain/alerts/lifecycle.js';
import { verifyLink, type LinkClaims } from '../../domain/alerts/links.js';
import { wakeOutbox } from '../../domain/escalation/ports.js';
import { isoNow } from '../../lib/clock.js';
import type { ZodApp } from '../zod-app.js';

const TokenQuery = z.object({ t: z.string().min(1).max(2000) });

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small page of its own (no session, no app bundle): it has to work from a mail on a locked phone. */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Afterhours</title><style>
body{font:18px/1.4 system-ui,sans-serif;margin:0;padding:24px 20px;background:#0f172a;color:#f1f5f9}
main{max-width:480px;margin:0 auto}h1{font-size:22px;margin:0 0 12px}p{margin:8px 0;color:#cbd5e1}
.what{font-size:20px;color:#fff;font-weight:600}button,a.button{display:block;width:100%;box-sizing:border-box;margin-top:24px;padding:18px;
font-size:20px;font-weight:700;border:0;border-radius:12px;background:#f59e0b;color:#111;text-align:center;text-decoration:none}
a{color:#93c5fd}.done{color:#86efac}</style></head><body><main>${body}</main></body></html>`;
}

interface SubjectView {
  what: string;
  where: string | null;
  state: string | null;
  by: string | null;
}

/** Where a link's subject opens in the app. */
function pathOf(subject: LinkClaims['subject']): string {
  if (subject.type === 'alert') return `/alerts/${encodeURIComponent(subject.id)}`;
  if (subject.type === 'incident') return `/incidents/${encodeURIComponent(subject.id)}`;
  if (subject.type === 'task') return '/tasks';
  return '/';
}

async function describeIncident(ctx: AppContext, id: string): Promise<SubjectView> {
  const row = await ctx.db.kysely
    .selectFrom('incidents')
    .innerJoin('clients', 'clients.id', 'incidents.client_id')
    .leftJoin('users', 'users.id', 'incidents.acknowledged_by')
    .select(['incidents.number', 'incidents.title', 'incidents.status', 'clients.name as client', 'users.name as by'])
    .where('incidents.id', '=', id)
    .executeTakeFirst();
  if (!row) return { what: 'An incident that no longer exists', where: null, state: null, by: null };
  return { what: `Incident #${row.number}: ${row.title}`, where: row.client, state: row.status, by: row.by };
}

async function describe(ctx: AppContext, claims: LinkClaims): Promise<SubjectView> {
  if (claims.subject.type === 'incident') return describeIncident(ctx, claims.subject.id);
  if (claims.subject.type !== 'alert') return { what: `Test page`, where: null, state: null, by: null };
  const row = await ctx.db.kysely
    .selectFrom('alerts')
    .leftJoin('clients', 'clients.id', 'alerts.client_id')
    .leftJoin('sites', 'sites.id', 'alerts.site_id')
    .leftJoin('users', 'users.id', 'alerts.acknowledged_by')
    .select(['alerts.title', 'alerts.state', 'clients.name as client', 'sites.name as site', 'users.name as by'])
    .where('alerts.id', '=', claims.subject.id)
    .executeTakeFirst();
  if (!row) return { what: 'An alert that no longer exists', where: null, state: null, by: null };
  return {
    what: row.title,
    where: [row.client, row.site].filter(Boolean).join(' · ') || null,
    state: row.state,
    by: row.by,
  };
}

const EXPIRED = page(
  'Link expired',
  '<h1>This link no longer works</h1><p>It has expired or was changed. Open Afterhours to acknowledge.</p><a class="button" href="/alerts">Open Afterhours</a>',
);

/**
 * The links in every page: `/l/ack` shows what the alert is and a button; only the button's POST acknowledges,
 * so a link-preview bot fetching the URL acknowledges nothing. No session is needed: the signed token says who.
 */
export async function linkRoutes(app: ZodApp, ctx: AppContext) {
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  };

  app.get(
    '/l/ack',
    { config: { public: true }, schema: { hide: true, querystring: TokenQuery } },
    async (request, reply) => {
      const claims = verifyLink(ctx, request.query.t, 'ack');
      if (!claims?.userId) return reply.status(410).headers(headers).send(EXPIRED);
      const view = await describe(ctx, claims);
      const open = pathOf(claims.subject);
      const settled =
        view.state === 'resolved'
          ? '<p class="done">Already resolved.</p>'
          : view.state === 'acknowledged'
            ? `<p class="done">Already acknowledged${view.by ? ` by ${escapeHtml(view.by)}` : ''}.</p>`
            : null;
      const body = `<h1>Acknowledge?</h1><p class="what">${escapeHtml(view.what)}</p>${view.where ? `<p>${escapeHtml(view.where)}</p>` : ''}${
        settled ??
        `<form method="post" action="/l/ack"><input type="hidden" name="t" value="${escapeHtml(request.query.t)}"><button type="submit">Acknowledge</button></form>`
      }<p><a href="${open}">Open in Afterhours</a></p>`;
      return reply.headers(headers).send(page('Acknowledge', body));
    },
  );

  await app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.post(
      '/l/ack',
      { config: { public: true }, schema: { hide: true, body: TokenQuery } },
      async (request, reply) => {
        const claims = verifyLink(ctx, request.body.t, 'ack');
        if (!claims?.userId) return reply.status(410).headers(headers).send(EXPIRED);
        const now = isoNow(ctx.clock);
        const outcome = await acknowledgeSubject(ctx.db.kysely, claims.subject, claims.userId, 'link', now);
        if (outcome.acknowledged) {
          wakeOutbox(ctx.bus);
          if (claims.subject.type === 'alert' || claims.subject.type === 'incident')
            ctx.bus.publish({
              entity: claims.subject.type,
              id: claims.subject.id,
              action: 'updated',
              clientId: null,
              at: now,
            });
        }
        const view = await describe(ctx, claims);
        const open = pathOf(claims.subject);
        const said = outcome.acknowledged
          ? '<h1 class="done">Acknowledged</h1><p>Paging has stopped; the others who were paged are told.</p>'
          : `<h1>Already handled</h1><p>${view.by ? `Acknowledged by ${escapeHtml(view.by)}.` : 'Nothing more to do.'}</p>`;
        return reply
          .headers(headers)
          .send(
            page(
              'Acknowledged',
              `${said}<p class="what">${escapeHtml(view.what)}</p><a class="button" href="${open}">Open in Afterhours</a>`,
            ),
          );
      },
    );
    done();
  });

  app.get(
    '/l/open',
    { config: { public: true }, schema: { hide: true, querystring: TokenQuery } },
    async (request, reply) => {
      const claims = verifyLink(ctx, request.query.t, 'open');
      if (!claims) return reply.status(410).headers(headers).send(EXPIRED);
      return reply.redirect(pathOf(claims.subject), 303);
    },
  );
}
