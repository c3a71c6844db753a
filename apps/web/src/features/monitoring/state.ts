import type { CheckKind, CheckState, StateCounts } from '../../api/types';

// Mirrors CheckKind in packages/shared; typed by it so a new kind fails to compile here.
export const CHECK_KIND_LABELS: Record<CheckKind, string> = {
  http: 'Web page (HTTP/HTTPS)',
  tcp: 'TCP port',
  ping: 'Ping',
  dns: 'DNS record',
  tls: 'TLS certificate',
  smtp: 'Mail server (SMTP)',
  imap: 'Mailbox server (IMAP)',
  sip: 'Phone system (SIP)',
  ssh: 'SSH server',
  snmp: 'SNMP value',
};

export const CHECK_KIND_SHORT: Record<CheckKind, string> = {
  http: 'HTTP',
  tcp: 'TCP',
  ping: 'Ping',
  dns: 'DNS',
  tls: 'TLS',
  smtp: 'SMTP',
  imap: 'IMAP',
  sip: 'SIP',
  ssh: 'SSH',
  snmp: 'SNMP',
};

export const STATE_LABELS: Record<CheckState, string> = {
  down: 'Down',
  degraded: 'Degraded',
  unknown: 'Unknown',
  up: 'Up',
  paused: 'Paused',
};

/** How bad a state is, for sorting: lower first. */
export const STATE_RANK: Record<CheckState, number> = { down: 0, degraded: 1, unknown: 2, up: 3, paused: 4 };

export const isProblem = (state: CheckState) => state === 'down' || state === 'degraded' || state === 'unknown';

/** The worst state among the counts; 'none' when nothing is monitored. */
export type Worst = CheckState | 'none';
export function worstOf(counts: StateCounts): Worst {
  for (const state of ['down', 'degraded', 'unknown', 'up', 'paused'] as const) if (counts[state] > 0) return state;
  return 'none';
}
export const WORST_RANK: Record<Worst, number> = { ...STATE_RANK, none: 5 };

export const totalChecks = (c: StateCounts) => c.up + c.degraded + c.down + c.unknown + c.paused;

/** "2 down · 1 unknown · 14 up", problems first, zero counts left out. */
export function countsLine(c: StateCounts): string {
  const parts = (['down', 'degraded', 'unknown', 'up', 'paused'] as const)
    .filter((s) => c[s] > 0)
    .map((s) => `${c[s]} ${s}`);
  return parts.length ? parts.join(' · ') : 'no checks yet';
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatInterval(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

export function formatPercent(p: number | null): string {
  if (p === null) return '—';
  if (p >= 100) return '100 %';
  return `${p >= 99.9 ? p.toFixed(2) : p.toFixed(1)} %`;
}

export { clockTime } from '../../lib/date-format';

/** "12 min", "3 h 5 min", "2 days". */
export function duration(fromIso: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(fromIso).getTime()) / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 && hours < 10 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}
