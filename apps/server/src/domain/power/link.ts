import type { HubMessage, PowerConfigMessage } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { isoNow } from '../../lib/clock.js';
import { powerConfigForSite } from './queries.js';

/** The site's power config for its agent, and a key to tell whether it changed since last sent. */
export async function powerConfigKey(
  ctx: AppContext,
  siteId: string,
): Promise<{ key: string; message: PowerConfigMessage }> {
  const message = await powerConfigForSite(ctx, siteId);
  return { key: JSON.stringify(message), message };
}

/** Sends the site's waiting orders (shut down now, start up, confirm) and marks them sent, once each. */
export async function sendPowerOrders(
  ctx: AppContext,
  siteId: string,
  send: (message: HubMessage) => void,
): Promise<void> {
  const orders = await ctx.db.kysely
    .selectFrom('power_orders')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('sent_at', 'is', null)
    .orderBy('created_at')
    .execute();
  for (const order of orders) {
    // The conditional update is the claim: with several hub processes only one sends each order.
    const claimed = await ctx.db.kysely
      .updateTable('power_orders')
      .set({ sent_at: isoNow(ctx.clock) })
      .where('id', '=', order.id)
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    send({
      type: 'power-command',
      command: order.command as 'shutdown',
      by: order.by,
      ...(order.system_id ? { systemId: order.system_id } : {}),
    });
  }
}
