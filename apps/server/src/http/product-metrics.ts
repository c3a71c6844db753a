import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';

/**
 * The product's own figures, computed when Prometheus scrapes: one grouped query per gauge, so a
 * scrape costs a few index scans whatever the number of checks.
 */
export function installProductMetrics(registry: Registry, ctx: AppContext): void {
  const byColumn = (name: string, help: string, table: 'checks' | 'heartbeats' | 'agents', column: string) =>
    new Gauge({
      name,
      help,
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const rows = await ctx.db.kysely
          .selectFrom(table as keyof Database)
          .select([`${column} as state` as never, (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy(column as never)
          .execute();
        this.reset();
        for (const row of rows as unknown as { state: string; n: number | string }[])
          this.set({ state: row.state }, Number(row.n));
      },
    });
  byColumn('afterhours_checks', 'Checks by state', 'checks', 'state');
  byColumn('afterhours_heartbeats', 'Heartbeats by state', 'heartbeats', 'status');
  byColumn('afterhours_agents', 'Site agents by status (pending, online, unreachable, revoked)', 'agents', 'status');
  new Gauge({
    name: 'afterhours_agents_connected',
    help: 'Site agents connected to this hub process',
    registers: [registry],
    collect() {
      const link = ctx.agentLink as { size?: number } | undefined;
      this.set(link?.size ?? 0);
    },
  });
  new Gauge({
    name: 'afterhours_agent_backlog_results',
    help: 'Results waiting in each site agent outbox, as the agent last reported (revoked agents left out)',
    labelNames: ['agent_id', 'site_id'] as const,
    registers: [registry],
    async collect() {
      const rows = await ctx.db.kysely
        .selectFrom('agents')
        .select(['id', 'site_id', 'backlog'])
        .where('backlog', 'is not', null)
        .where('status', '!=', 'revoked')
        .execute();
      this.reset();
      for (const row of rows) this.set({ agent_id: row.id, site_id: row.site_id }, Number(row.backlog));
    },
  });
  installEventMetrics(registry, ctx);
}

/** Figures counted as they happen, on the hot paths: they only bump numbers in memory. */
function installEventMetrics(registry: Registry, ctx: AppContext): void {
  const lateness = new Histogram({
    name: 'afterhours_probe_start_lateness_seconds',
    help: 'How late the built-in probe started each check after its slot',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const results = new Counter({
    name: 'afterhours_check_results_ingested_total',
    help: 'Check results stored, by source (probe: the hub itself; agent: site agents)',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  results.inc({ source: 'probe' }, 0);
  results.inc({ source: 'agent' }, 0);
  ctx.metrics = {
    probeStarted: (latenessMs) => lateness.observe(Math.max(0, latenessMs) / 1000),
    resultsStored: (source, count) => {
      if (count > 0) results.inc({ source }, count);
    },
  };
}
