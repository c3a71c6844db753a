import { z } from 'zod';

/**
 * A message between the hub processes that share one database, never shown to browsers. "Run now"
 * for an agent check is asked of every process (`agent.run`); the one holding that agent's link sends
 * the run to the agent and answers (`agent.run.sent`) to the process that asked.
 */
export const PeerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('agent.run'),
    requestId: z.string().min(1),
    agentId: z.string().min(1),
    checkId: z.string().min(1),
  }),
  z.object({ type: z.literal('agent.run.sent'), requestId: z.string().min(1) }),
  // Messages were queued: the outbox workers look for due ones now rather than at their next wake-up.
  z.object({ type: z.literal('outbox.wake') }),
]);
export type PeerMessage = z.infer<typeof PeerMessage>;
