#!/usr/bin/env node
// Sums a V8 CPU profile (from `node --cpu-prof`, e.g. BENCH_CPU_PROFILE=<dir> node bench/probe.mjs) by function:
// self time and inclusive time as shares of the busy (not idle) main-thread time.
// Usage: node bench/profile-summary.mjs <dir or .cpuprofile file> [top=40] [skip seconds=0]
// (skip: leave out the profile's first seconds, e.g. 70 for the probe bench's start and first minute)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [target, topArg, skipArg] = process.argv.slice(2);
if (!target) {
  console.error('usage: node bench/profile-summary.mjs <dir or .cpuprofile file> [top=40] [skip seconds=0]');
  process.exit(1);
}
const file = statSync(target).isDirectory()
  ? join(
      target,
      readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
        .at(-1),
    )
  : target;
const top = Number(topArg ?? 40);
const skipUs = Number(skipArg ?? 0) * 1e6;
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const url = n.callFrame.url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/(apps|packages)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}${url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
};
const perNode = new Map();
let elapsedUs = 0;
for (const [i, id] of profile.samples.entries()) {
  elapsedUs += profile.timeDeltas[i] ?? 0;
  if (elapsedUs >= skipUs) perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const self = new Map();
const inclusive = new Map();
let total = 0;
let idle = 0;
for (const [id, us] of perNode) {
  total += us;
  const name = label(nodes.get(id));
  if (name.startsWith('(idle)')) idle += us;
  self.set(name, (self.get(name) ?? 0) + us);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(nodes.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}
const busy = total - idle;
const show = (map) =>
  [...map]
    .filter(([k]) => !/^\((idle|root)\)/.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${((100 * us) / busy).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log(
  `${file}\nsampled ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / total).toFixed(1)} % of one core)`,
);
console.log('\nself time, share of busy time:\n' + show(self));
console.log('\ninclusive time, share of busy time:\n' + show(inclusive));
