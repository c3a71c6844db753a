import type { HeartbeatStatus } from '../../api/types';
import { HEARTBEAT_STATUS_LABELS, HEARTBEAT_TONE } from './labels';

/** A heartbeat's state in words, coloured like the check states. */
export function HeartbeatBadge({ status, large }: { status: HeartbeatStatus; large?: boolean }) {
  return <span className={`state state-${HEARTBEAT_TONE[status]} ${large ? 'state-large' : ''}`}>{HEARTBEAT_STATUS_LABELS[status]}</span>;
}

/** A coloured dot; decorative (the state is always said in words beside it). */
export function HeartbeatDot({ status }: { status: HeartbeatStatus }) {
  return <span className={`dot dot-${HEARTBEAT_TONE[status]}`} aria-hidden="true" />;
}
