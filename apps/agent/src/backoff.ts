/**
 * Delay before reconnection attempt `attempt` (0 for the first retry): doubling from 1 s up to 60 s,
 * with "equal jitter" (half fixed, half random) so that the agents of a hub that restarts do not all
 * dial back in the same second. `random` is Math.random in the agent, fixed in tests.
 */
export function reconnectDelayMs(attempt: number, random: () => number, baseMs = 1000, maxMs = 60_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
