import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test/cli.js';
import { DEFAULT_HEAP_GROWTH_PERCENT, heapGrowthFlag, heapGrowthPercentFromEnv } from './heap-growth.js';

describe('heap growth (AFTERHOURS_HEAP_GROWTH_PERCENT)', () => {
  it('defaults to 100 % and takes whole numbers from 0 to 1000', () => {
    expect(DEFAULT_HEAP_GROWTH_PERCENT).toBe(100);
    expect(heapGrowthPercentFromEnv({})).toBe(100);
    expect(heapGrowthPercentFromEnv({ AFTERHOURS_HEAP_GROWTH_PERCENT: '' })).toBe(100);
    expect(heapGrowthPercentFromEnv({ AFTERHOURS_HEAP_GROWTH_PERCENT: '0' })).toBe(0);
    expect(heapGrowthPercentFromEnv({ AFTERHOURS_HEAP_GROWTH_PERCENT: '250' })).toBe(250);
    for (const bad of ['abc', '-1', '1.5', '1001', '50%'])
      expect(() => heapGrowthPercentFromEnv({ AFTERHOURS_HEAP_GROWTH_PERCENT: bad })).toThrow(
        `AFTERHOURS_HEAP_GROWTH_PERCENT must be a whole number from 0 to 1000 (got "${bad}")`,
      );
  });

  it('gives the V8 flag, none for 0 or when node was started with its own', () => {
    expect(heapGrowthFlag(100, [])).toBe('--heap-growing-percent=100');
    expect(heapGrowthFlag(0, [])).toBeUndefined();
    expect(heapGrowthFlag(100, ['--heap-growing-percent=30'])).toBeUndefined();
    expect(heapGrowthFlag(100, ['--heap_growing_percent', '30'])).toBeUndefined();
    expect(heapGrowthFlag(100, ['--max-old-space-size=512'])).toBe('--heap-growing-percent=100');
  });

  it('reaches V8 when set at run time: less room, more full collections', () => {
    // A child process keeps ~20 MB live and churns objects that live long enough to be promoted, counting full
    // collections. If V8 ignored a flag set after start-up, both runs would collect alike.
    const child = `
      import { setFlagsFromString } from 'node:v8';
      import { PerformanceObserver, constants } from 'node:perf_hooks';
      setFlagsFromString(process.argv.at(-1));
      let full = 0;
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++;
      });
      observer.observe({ entryTypes: ['gc'] });
      const live = (globalThis.live = []);
      for (let i = 0; i < 200_000; i++) live.push({ i, s: 'live ' + i });
      const ring = new Array(400_000);
      for (let i = 0; i < 4_000_000; i++) ring[i % ring.length] = { i, s: 'churn ' + i };
      setTimeout(() => { observer.disconnect(); process.stdout.write(String(full)); }, 50);
    `;
    const fullCollections = (percent: number) =>
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', child, String(heapGrowthFlag(percent, []))], {
          encoding: 'utf8',
          timeout: 30_000,
        }),
      );
    expect(fullCollections(10)).toBeGreaterThan(fullCollections(300));
  });

  it('stops `afterhours serve` with a message naming the variable when it is not a number', async () => {
    const run = await runCli(['serve', '--data-dir', '/nonexistent-afterhours'], {
      AFTERHOURS_HEAP_GROWTH_PERCENT: 'lots',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('AFTERHOURS_HEAP_GROWTH_PERCENT must be a whole number from 0 to 1000 (got "lots")');
  });
});
