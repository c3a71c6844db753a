import type { StateCounts } from '../../api/types';
import { countsLine, totalChecks } from './state';

/** "Site agent unreachable · 2 down · 14 up", or "Not monitored yet": a row's state in words. */
export function StateLine({ counts, unreachable }: { counts: StateCounts; unreachable: boolean }) {
  const parts = [
    unreachable && 'Site agent unreachable',
    totalChecks(counts) > 0 ? countsLine(counts) : 'Not monitored yet',
  ];
  return <span className="row-state">{parts.filter(Boolean).join(' · ')}</span>;
}
