import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../events/bus.js';
import type { AgentLink } from '../monitoring/agent-link.js';
import { CLOSE, type AgentSession } from './session.js';

/**
 * The agents connected to this hub process, and the AgentLink monitoring uses to reach them.
 *
 * Agents may be connected to any hub process. Changes reach them through the event bus, which
 * PostgreSQL carries between processes: an `agent` event makes the process holding that agent's
 * link check the agent is still allowed (revoked, rotated and deleted agents are disconnected) and
 * resend its assignment if it changed. As a safety net every link's assignment is compared again
 * every `resyncEveryMs`. "Run now" for an agent held by another process is asked of every process over
 * the bus (`agent.run`); the holder sends the run to its agent and answers (`agent.run.sent`). With no
 * answer within `peerAnswerMs` the agent counts as not connected.
 */
export class AgentConnections implements AgentLink {
  private readonly sessions = new Map<string, AgentSession>();
  private unsubscribe: Array<() => void> = [];
  private resync: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly log: FastifyBaseLogger,
    private readonly resyncEveryMs = 60_000,
    private readonly peerAnswerMs = 3000,
  ) {}

  start(): void {
    if (this.unsubscribe.length) return;
    this.unsubscribe = [
      this.bus.subscribe((event) => {
        if (event.entity === 'agent') this.sessions.get(event.id)?.refresh();
      }),
      this.bus.subscribePeer((message) => {
        if (message.type !== 'agent.run' || !this.sessions.get(message.agentId)?.runNow(message.checkId)) return;
        this.bus.publishPeer({ type: 'agent.run.sent', requestId: message.requestId });
      }),
    ];
    this.resync = setInterval(() => {
      for (const session of this.sessions.values()) session.refresh();
    }, this.resyncEveryMs);
    this.resync.unref();
  }

  /** A new link for an agent replaces any older one (a restarted agent whose old socket lingers). */
  attach(session: AgentSession): void {
    const previous = this.sessions.get(session.agentId);
    if (previous && previous !== session)
      previous.close(CLOSE.replaced, 'replaced by a newer connection from this agent');
    this.sessions.set(session.agentId, session);
  }

  detach(session: AgentSession): void {
    if (this.sessions.get(session.agentId) === session) this.sessions.delete(session.agentId);
  }

  isConnected(agentId: string): boolean {
    return this.sessions.has(agentId);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Sent to the agent's link here, or to the one another hub process holds; false when none has it. */
  async runNow(agentId: string, checkId: string): Promise<boolean> {
    if (this.sessions.get(agentId)?.runNow(checkId)) return true;
    if (!this.bus.crossesProcesses) return false;
    return this.askPeers(agentId, checkId);
  }

  private askPeers(agentId: string, checkId: string): Promise<boolean> {
    const requestId = randomUUID();
    return new Promise((resolve) => {
      const finish = (sent: boolean) => {
        clearTimeout(timer);
        stopListening();
        resolve(sent);
      };
      const stopListening = this.bus.subscribePeer((message) => {
        if (message.type === 'agent.run.sent' && message.requestId === requestId) finish(true);
      });
      const timer = setTimeout(() => finish(false), this.peerAnswerMs);
      this.bus.publishPeer({ type: 'agent.run', requestId, agentId, checkId });
    });
  }

  assignmentsChanged(agentId: string): void {
    // Through the bus, so that the process that holds the agent's link hears of it too.
    this.bus.publish({ entity: 'agent', id: agentId, action: 'updated', clientId: null, at: new Date().toISOString() });
  }

  /** Close every link (the hub is stopping); agents dial back in, to this process or another. */
  stop(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    clearInterval(this.resync);
    for (const session of this.sessions.values()) session.close(CLOSE.hubStopping, 'the hub is stopping');
    this.sessions.clear();
    this.log.debug('agent links closed');
  }
}
