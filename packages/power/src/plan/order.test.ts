import { describe, expect, it } from 'vitest';
import { dryRun } from './dry-run.js';
import { defaultStages } from './order.js';
import { powerPlan } from './types.js';

describe('defaultStages', () => {
  it('shuts down dependents first and what everything needs last', () => {
    const stages = defaultStages([
      { id: 'nas', name: 'NAS', dependsOn: [] },
      { id: 'hv', name: 'Hypervisor', dependsOn: ['nas'] },
      { id: 'db', name: 'Database', dependsOn: ['hv'] },
      { id: 'erp', name: 'ERP', dependsOn: ['db', 'hv'] },
      { id: 'mail', name: 'Mail', dependsOn: ['hv', 'elsewhere'] },
    ]);
    expect(stages.map((s) => s.systemIds)).toEqual([['erp', 'mail'], ['db'], ['hv'], ['nas']]);
  });

  it('puts systems in one stage only when neither needs the other: every dependency goes off in a later stage', () => {
    // Systems of a stage go off in parallel, so the stage is right exactly when no two of its systems depend
    // on each other (directly or through others); independent systems sharing a stage save battery time.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const n = 2 + Math.floor(random() * 9);
      // Edges only towards lower numbers: no cycles, any shape of graph.
      const systems = Array.from({ length: n }, (_, i) => ({
        id: `s${i}`,
        name: `S${i}`,
        dependsOn: Array.from({ length: i }, (_, j) => `s${j}`).filter(() => random() < 0.3),
      }));
      const stageOf = new Map<string, number>();
      defaultStages(systems).forEach((stage, i) => {
        for (const id of stage.systemIds) stageOf.set(id, i);
      });
      expect(stageOf.size).toBe(n);
      const needs = (id: string, seen = new Set<string>()): Set<string> => {
        for (const d of systems.find((s) => s.id === id)!.dependsOn)
          if (!seen.has(d)) {
            seen.add(d);
            needs(d, seen);
          }
        return seen;
      };
      for (const s of systems) for (const d of needs(s.id)) expect(stageOf.get(d)!).toBeGreaterThan(stageOf.get(s.id)!);
    }
  });

  it('does not loop on a cycle', () => {
    const stages = defaultStages([
      { id: 'a', name: 'A', dependsOn: ['b'] },
      { id: 'b', name: 'B', dependsOn: ['a'] },
    ]);
    expect(stages.flatMap((s) => s.systemIds).sort()).toEqual(['a', 'b']);
  });
});

describe('dryRun', () => {
  const plan = powerPlan.parse({
    stages: [
      { name: 'apps', systemIds: ['erp'], timeoutSeconds: 240 },
      { name: 'storage', systemIds: ['nas', 'ghost'], timeoutSeconds: 300 },
    ],
  });
  const systems = [
    { id: 'erp', name: 'ERP', shutdownCommand: 'ssh admin@erp: sudo shutdown -h now', startupCommand: 'wake-on-lan' },
    { id: 'nas', name: 'NAS', shutdownCommand: 'ipmi soft', startupCommand: 'ipmi on' },
  ];
  it('lists the order and commands and compares the total with the runtime left', () => {
    const r = dryRun(plan, systems, 14 * 60);
    expect(r.shutdown.map((s) => s.systems.map((x) => x.command))).toEqual([
      ['ssh admin@erp: sudo shutdown -h now'],
      ['ipmi soft', 'no power action set: nothing will be sent'],
    ]);
    expect(r.startup.map((s) => s.stage)).toEqual(['storage', 'apps']);
    expect(r).toMatchObject({
      shutdownMaxSeconds: 540,
      fits: true,
      summary: 'needs at most 9 min; the UPS reports 14 min',
    });
    expect(dryRun(plan, systems, 300)).toMatchObject({ fits: false });
    expect(dryRun(plan, systems, null).summary).toBe('needs at most 9 min; the UPS reports no runtime');
  });
});
