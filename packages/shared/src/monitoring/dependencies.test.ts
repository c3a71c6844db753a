import { describe, expect, it } from 'vitest';
import {
  DependencyGraph,
  agentSuppression,
  clockTime,
  dependencySuppression,
  type DownSystem,
} from './dependencies.js';

// app → vm → host → ups; mail → firewall; loop: a ↔ b
const graph = new DependencyGraph([
  { systemId: 'app', dependsOnId: 'vm' },
  { systemId: 'vm', dependsOnId: 'host' },
  { systemId: 'host', dependsOnId: 'ups' },
  { systemId: 'mail', dependsOnId: 'firewall' },
  { systemId: 'a', dependsOnId: 'b' },
  { systemId: 'b', dependsOnId: 'a' },
]);
const down = (...ids: string[]) =>
  new Map<string, DownSystem>(
    ids.map((id) => [id, { systemId: id, systemName: id.toUpperCase(), rootChangeId: `change-${id}` }]),
  );

describe('dependency suppression', () => {
  it('walks ancestors and descendants nearest first, and survives a loop', () => {
    expect(graph.ancestors('app')).toEqual(['vm', 'host', 'ups']);
    expect(graph.descendants('ups')).toEqual(['host', 'vm', 'app']);
    expect(graph.ancestors('a')).toEqual(['b']);
  });

  it.each<[string, string[], string | null]>([
    ['app', ['host'], 'host'],
    ['app', ['host', 'vm'], 'vm'],
    ['app', ['ups'], 'ups'],
    ['app', ['app'], null],
    ['host', ['vm'], null],
    ['mail', ['host'], null],
    ['a', ['b'], 'b'],
  ])('%s with %j down is suppressed by %s', (system, downIds, cause) => {
    const s = dependencySuppression(system, graph, down(...downIds));
    expect(s?.causeId ?? null).toBe(cause);
    if (s)
      expect(s).toEqual({
        causeType: 'system',
        causeId: cause,
        rootCauseId: `change-${cause}`,
        reason: `because ${cause!.toUpperCase()} is down`,
      });
  });

  it('names the agent and the local time it went silent', () => {
    expect(clockTime('2026-07-03T17:42:10.000Z', 'Europe/London')).toBe('18:42');
    expect(clockTime('2026-07-03T17:42:10.000Z', 'Not/AZone')).toBe('17:42');
    expect(agentSuppression('agent-1', 'root', '2026-07-03T17:42:10.000Z', 'Europe/London')).toEqual({
      causeType: 'agent',
      causeId: 'agent-1',
      rootCauseId: 'root',
      reason: 'site agent unreachable since 18:42',
    });
  });
});
