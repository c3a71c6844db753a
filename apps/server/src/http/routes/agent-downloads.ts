import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { AgentRelease } from '../../domain/agents/release.js';
import { publicHubUrl } from '../public-url.js';
import type { ZodApp } from '../zod-app.js';

/**
 * The site agent, served by the hub itself so that an office needs nothing but this hub: the one-file
 * bundle, the Linux executables built here, their SHA256SUMS, the systemd unit, the install script
 * (with this hub's public address filled in) and the agent's documentation. All public: they hold no
 * secret (the enrolment code is what admits an agent, and it is never in them).
 */

const tags = ['agent downloads'];
const HUB_PLACEHOLDER = '__AFTERHOURS_HUB_URL__';
const NOT_BUILT =
  'The site agent is not built on this hub. Run `npm run build` in the hub’s checkout and restart it.\n';

const TYPES: Record<string, string> = {
  '.cjs': 'text/javascript; charset=utf-8',
  '.service': 'text/plain; charset=utf-8',
};
const typeOf = (name: string) => TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';

const text = (reply: FastifyReply, body: string, type = 'text/plain; charset=utf-8') =>
  reply.header('cache-control', 'no-cache').type(type).send(body);

/** The plain-text index at /agent/: what is here, what is not and why, how to install. */
function index(release: AgentRelease, hubUrl: string): string {
  const lines = [
    `Afterhours site agent ${release.version}`,
    '',
    'Install or upgrade on Linux (as root):',
    `  curl -fsSL ${hubUrl}/agent/install.sh | sudo sh -s -- --enrol CODE`,
    `Anywhere with Node.js ${release.node} (Windows too):`,
    `  node afterhours-agent.cjs --hub ${hubUrl} --enrol CODE --data-dir DIR`,
    '',
    'Files (checksums in SHA256SUMS):',
    ...release.files.map((f) => `  ${hubUrl}/agent/${f}`),
    `  ${hubUrl}/agent/install.sh`,
    `  ${hubUrl}/agent/version`,
  ];
  const missing = Object.entries(release.notBuilt);
  if (missing.length) lines.push('', 'Not available from this hub:', ...missing.map(([p, why]) => `  ${p}: ${why}`));
  lines.push('', `Documentation: ${hubUrl}/docs/agent`, '');
  return lines.join('\n');
}

export async function agentDownloadRoutes(app: ZodApp, ctx: AppContext) {
  const release = ctx.settings.agentRelease;
  const common = { config: { public: true } } as const;

  app.get(
    '/agent/',
    { ...common, schema: { tags, summary: 'What the hub serves of the site agent, and how to install it (text)' } },
    async (request, reply) => {
      if (!release) return text(reply.status(404), NOT_BUILT);
      return text(reply, index(release, publicHubUrl(ctx, request).url));
    },
  );

  app.get(
    '/agent/version',
    { ...common, schema: { tags, summary: 'The version of the site agent this hub serves (text)' } },
    async (_request, reply) => (release ? text(reply, `${release.version}\n`) : text(reply.status(404), NOT_BUILT)),
  );

  app.get(
    '/agent/install.sh',
    {
      ...common,
      schema: {
        tags,
        summary:
          'The Linux install script, with this hub’s public address (AFTERHOURS_PUBLIC_URL) filled in: curl -fsSL <hub>/agent/install.sh | sudo sh -s -- --enrol CODE',
      },
    },
    async (request, reply) => {
      if (!release) return text(reply.status(404), `echo '${NOT_BUILT.trim().replace(/'/g, '')}' >&2; exit 1\n`);
      const script = await readFile(join(release.dir, 'install.sh'), 'utf8');
      // Made from the request when no public address is set, so never kept by a cache for another caller.
      reply.header('cache-control', 'no-store');
      return reply
        .type('text/x-shellscript; charset=utf-8')
        .send(script.replace(HUB_PLACEHOLDER, publicHubUrl(ctx, request).url));
    },
  );

  app.get(
    '/agent/:file',
    {
      ...common,
      schema: {
        tags,
        summary: 'A file of the site agent release: the bundle, an executable, the systemd unit, or SHA256SUMS',
        params: z.object({ file: z.string().max(100) }),
      },
    },
    async (request, reply) => {
      const name = request.params.file;
      if (!release) return text(reply.status(404), NOT_BUILT);
      if (name !== 'SHA256SUMS' && !release.files.includes(name)) {
        const why = Object.entries(release.notBuilt).find(([platform]) => name.endsWith(platform))?.[1];
        return text(reply.status(404), `${name}: ${why ?? 'no such file'}. See /agent/ for what this hub serves.\n`);
      }
      const path = join(release.dir, name);
      const { size } = await stat(path);
      return reply
        .header('cache-control', 'no-cache')
        .header('content-length', size)
        .type(name === 'SHA256SUMS' ? 'text/plain; charset=utf-8' : typeOf(name))
        .send(createReadStream(path));
    },
  );

  app.get(
    '/docs/agent',
    {
      ...common,
      schema: {
        tags,
        summary: 'The site agent’s documentation (Markdown, sent as plain text), readable without internet access',
      },
    },
    async (_request, reply) => {
      if (!release) return text(reply.status(404), NOT_BUILT);
      // As plain text: every browser shows it (text/markdown is often downloaded instead).
      return text(reply, await readFile(join(release.dir, 'agent.md'), 'utf8'));
    },
  );
}
