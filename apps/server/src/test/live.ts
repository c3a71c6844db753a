import type { ChangeEvent } from '@afterhours/shared';
import { expect } from 'vitest';

/**
 * A screen's live channel (GET /api/events) over a real socket: collects the change events as they
 * arrive. `until` waits (up to 5 s) for the events seen so far to satisfy a condition.
 */
export async function openLive(base: string, cookie: string) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers: { cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: ChangeEvent[] = [];
  let buffer = '';
  // The stream's first chunk (its opening comment) says the hub has subscribed this screen.
  buffer += decoder.decode((await reader.read()).value);
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      buffer += decoder.decode(value);
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: change') && data) events.push(JSON.parse(data.slice(6)) as ChangeEvent);
      }
    }
  })();
  return {
    events,
    until: (condition: (seen: ChangeEvent[]) => boolean) =>
      expect.poll(() => condition(events), { timeout: 5000, interval: 20 }).toBe(true),
    async close() {
      controller.abort();
      await pump;
    },
  };
}
