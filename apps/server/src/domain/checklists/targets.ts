import type { StepBinding, TemplateBody, TemplateStep } from '@afterhours/shared';
import type { z } from 'zod';
import type { Kdb } from '../../db/database.js';
import type { SitesTable } from '../../db/schema.js';

type Binding = z.infer<typeof StepBinding>;

/** What an automatic step is judged against at one site, in ids (kept on the run's step). */
export interface ResolvedTarget {
  checkIds?: string[];
  heartbeatId?: string;
  withinHours?: number;
  agentIds?: string[];
  siteId?: string;
}

export interface ResolvedStep {
  section: string;
  step: TemplateStep;
  target: ResolvedTarget;
  /** What it means here, by name ("Mail server: SMTP"). */
  label: string;
  /** Why it cannot be judged here (nothing of that name at the site); the step then fails with this. */
  problem: string | null;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Resolves every step of a template at a site: a per-site binding (ids) first, else the names in the
 * step's target, else (all-up, UPS, agent) the whole site. Only rows of that site are ever used.
 */
export async function resolveSteps(
  db: Kdb,
  site: SitesTable,
  body: TemplateBody,
  bindings: Record<string, Binding>,
): Promise<ResolvedStep[]> {
  const [systems, checks, heartbeats, agents] = await Promise.all([
    db
      .selectFrom('systems')
      .select(['id', 'name'])
      .where('site_id', '=', site.id)
      .where('archived_at', 'is', null)
      .execute(),
    db
      .selectFrom('checks')
      .select(['id', 'name', 'system_id', 'paused'])
      .where('site_id', '=', site.id)
      .orderBy('name')
      .execute(),
    db.selectFrom('heartbeats').select(['id', 'name', 'system_id']).where('site_id', '=', site.id).execute(),
    db
      .selectFrom('agents')
      .select(['id', 'name'])
      .where('site_id', '=', site.id)
      .where('revoked_at', 'is', null)
      .where('status', '!=', 'pending')
      .execute(),
  ]);
  const systemName = (id: string) => systems.find((s) => s.id === id)?.name ?? 'system';

  function systemOf(step: TemplateStep, bound: Binding | undefined) {
    if (bound?.systemId) return systems.find((s) => s.id === bound.systemId);
    const name = step.target?.system;
    return name ? systems.find((s) => same(s.name, name)) : undefined;
  }

  const resolve = (section: string, step: TemplateStep): ResolvedStep => {
    const bound = bindings[step.key];
    const out = (target: ResolvedTarget, label: string, problem: string | null = null): ResolvedStep => ({
      section,
      step,
      target,
      label,
      problem,
    });
    const system = systemOf(step, bound);
    if ((bound?.systemId || step.target?.system) && !system && step.kind !== 'manual')
      return out(
        {},
        step.target?.system ?? '',
        `No system "${step.target?.system ?? bound?.systemId}" at ${site.name}`,
      );
    switch (step.kind) {
      case 'manual':
        return out({}, system?.name ?? '');
      case 'check': {
        const check = bound?.checkId
          ? checks.find((c) => c.id === bound.checkId)
          : checks.find((c) => same(c.name, step.target?.check ?? '') && (!system || c.system_id === system.id));
        if (!check) return out({}, step.target?.check ?? '', `No check "${step.target?.check ?? ''}" at ${site.name}`);
        return out({ checkIds: [check.id] }, `${systemName(check.system_id)}: ${check.name}`);
      }
      case 'all-up': {
        const ids = checks.filter((c) => !c.paused && (!system || c.system_id === system.id)).map((c) => c.id);
        const label = system ? `All checks of ${system.name}` : `All checks at ${site.name}`;
        return ids.length ? out({ checkIds: ids }, label) : out({}, label, `${label}: there are none`);
      }
      case 'heartbeat-fresh': {
        const heartbeat = bound?.heartbeatId
          ? heartbeats.find((h) => h.id === bound.heartbeatId)
          : heartbeats.find(
              (h) => same(h.name, step.target?.heartbeat ?? '') && (!system || h.system_id === system.id),
            );
        if (!heartbeat)
          return out(
            {},
            step.target?.heartbeat ?? '',
            `No heartbeat "${step.target?.heartbeat ?? ''}" at ${site.name}`,
          );
        const withinHours = step.withinHours ?? 24;
        return out({ heartbeatId: heartbeat.id, withinHours }, `${heartbeat.name}, within ${withinHours} h`);
      }
      case 'ups-on-line':
        return out({ siteId: site.id }, `Power at ${site.name}`);
      case 'agent-online':
        return agents.length
          ? out({ agentIds: agents.map((a) => a.id) }, agents.map((a) => a.name).join(', '))
          : out({}, 'Site agent', `No site agent at ${site.name}`);
    }
  };

  return body.sections.flatMap((section) => section.steps.map((step) => resolve(section.title, step)));
}
