import { Gauge, type Registry } from 'prom-client';
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
}
