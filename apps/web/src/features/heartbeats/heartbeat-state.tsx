import type { HeartbeatStatus } from '../../api/types';
import { timeAgo } from '../register/time';
import { HEARTBEAT_STATUS_LABELS, HEARTBEAT_TONE, RESULT_LABELS, RESULT_TONE } from './labels';

/** A heartbeat's state in words, coloured like the check states. */
export function HeartbeatBadge({ status, large }: { status: HeartbeatStatus; large?: boolean }) {
  return (
    <span className={`state state-${HEARTBEAT_TONE[status]} ${large ? 'state-large' : ''}`}>
      {HEARTBEAT_STATUS_LABELS[status]}
    </span>
  );
}

/** A coloured dot; decorative (the state is always said in words beside it). */
export function HeartbeatDot({ status }: { status: HeartbeatStatus }) {
  return <span className={`dot dot-${HEARTBEAT_TONE[status]}`} aria-hidden="true" />;
}

/** "Succeeded 2 h ago" (the result in its colour), or "none yet". */
export function LastResultText({
  lastResult,
  now,
}: {
  lastResult: { result: keyof typeof RESULT_LABELS; at: string } | null;
  now: Date;
}) {
  if (!lastResult) return <>none yet</>;
  return (
    <>
      <strong className={`tone tone-${RESULT_TONE[lastResult.result]}`}>{RESULT_LABELS[lastResult.result]}</strong>{' '}
      {timeAgo(lastResult.at, now)}
    </>
  );
}
