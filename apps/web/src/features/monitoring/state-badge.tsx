import type { CheckState } from '../../api/types';
import { STATE_LABELS, type Worst } from './state';

/** A coloured dot; decorative (the state is always said in words beside it). */
export function StateDot({ state }: { state: Worst }) {
  return <span className={`dot dot-${state}`} aria-hidden="true" />;
}

/** The state in words, coloured: "Down", "Up"… */
export function StateBadge({ state, large }: { state: CheckState; large?: boolean }) {
  return <span className={`state state-${state} ${large ? 'state-large' : ''}`}>{STATE_LABELS[state]}</span>;
}
