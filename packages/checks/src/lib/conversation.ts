import type { Socket } from 'node:net';
import type { CheckResult } from '../types.js';
import { describeNetError } from './net.js';

/** A server that answered, but not as the protocol expects: its message is shown as is. */
export class ConversationFailure extends Error {}

/**
 * Runs a line-protocol conversation (SMTP, IMAP) and turns any failure into a "down" result. The
 * conversation reports the socket it currently owns (after STARTTLS, the TLS socket), which is
 * destroyed at the end unless the conversation closed it itself.
 */
export async function holdConversation(
  host: string,
  port: number,
  converse: (hold: (socket: Socket) => void) => Promise<CheckResult>,
): Promise<CheckResult> {
  const held: { socket?: Socket } = {};
  try {
    return await converse((socket) => (held.socket = socket));
  } catch (err) {
    const message = err instanceof ConversationFailure ? err.message : describeNetError(err, host, port);
    return { status: 'down', latencyMs: null, message };
  } finally {
    if (held.socket && !held.socket.writableEnded) held.socket.destroy();
  }
}
