/**
 * How far V8's old generation may grow past what was live after the last full collection before it collects
 * again, in percent (AFTERHOURS_HEAP_GROWTH_PERCENT). Left to itself V8 sizes that room for short pauses, not
 * for total CPU: with the probe's steady trickle of short-lived objects it leaves ~30 %, so at 10,000 checks a
 * minute it marks the whole heap every ~16 s. 100 % (the heap may double, as Go's GOGC=100) makes that every
 * ~100 s and saves about a tenth of the hub's CPU there for ~60 MB more heap at the top of each cycle
 * (BENCHMARKS.md, issue 14, session 10; ADR 0018). 0 leaves V8's own choice.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 100;

export function heapGrowthPercentFromEnv(env: NodeJS.ProcessEnv): number {
  const value = env.AFTERHOURS_HEAP_GROWTH_PERCENT;
  if (value === undefined || value === '') return DEFAULT_HEAP_GROWTH_PERCENT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1000)
    throw new Error(`AFTERHOURS_HEAP_GROWTH_PERCENT must be a whole number from 0 to 1000 (got "${value}")`);
  return n;
}

/** The V8 flag that sets it (for v8.setFlagsFromString), or none: 0, or node was started with its own. */
export function heapGrowthFlag(percent: number, execArgv: readonly string[]): string | undefined {
  if (percent === 0 || execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return undefined;
  return `--heap-growing-percent=${percent}`;
}
