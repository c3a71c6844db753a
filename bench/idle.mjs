#!/usr/bin/env node
// An idle hub (issue 14): the BUILT hub as a real process with nothing to do — no checks, no heartbeats, no
// users — for --seconds (default 120) after a 15 s settle. Reports its CPU time (% of one core, from
// /proc/<pid>/stat: per-process, so less sensitive to the machine's load) and how often it woke up
// (voluntary context switches of its threads per second).
// Usage: node bench/idle.mjs [--seconds 120] [--db sqlite|postgres]      Build first: npm run build
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { machine, startBuiltHub } from './lib/hub.mjs';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '120' }, db: { type: 'string', default: 'sqlite' } },
});
const SECONDS = Number(args.seconds);
const CLK_TCK = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const hub = await startBuiltHub(args.db);
const pid = hub.proc.pid;
const sample = () => {
  let ticks = 0;
  let switches = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
      switches += Number(
        /voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))[1],
      );
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { t: Date.now(), ticks, switches };
};
await sleep(15_000);
const load0 = loadavg()[0];
const a = sample();
await sleep(SECONDS * 1000);
const b = sample();
const load1 = loadavg()[0];
await hub.stop();
const s = (b.t - a.t) / 1000;
console.log(
  `\nIdle hub, ${machine()}, ${args.db}, ${s.toFixed(0)} s, load average ${load0.toFixed(2)} → ${load1.toFixed(2)}`,
);
console.log(`| hub CPU (% of one core) | ${(((b.ticks - a.ticks) / CLK_TCK / s) * 100).toFixed(2)} % |`);
console.log(
  `| wake-ups (voluntary context switches, all threads) per second | ${((b.switches - a.switches) / s).toFixed(1)} |`,
);
