import type { ChangeEvent } from '@afterhours/shared';
import { AGENT_PROTOCOL_VERSION, AgentMessage, type HubMessage } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { AgentsTable } from '../../db/schema.js';
import { isoNow } from '../../lib/clock.js';
import { markSiteReachable } from '../monitoring/reachability.js';
import { assignedChecks } from './assignments.js';
import { storeBatch } from './batches.js';
import { recordPowerLog, recordPowerState } from '../power/ingest.js';
import { sendPowerOrders, powerConfigKey } from '../power/link.js';

/** The socket under a session: whatever carries hub messages to the agent. */
export interface Wire {
  send(message: HubMessage): void;
  close(code: number, reason: string): void;
}

/** Close codes (4000–4999 are free for applications); the agent knows them too. */
export const CLOSE = { protocolError: 4000, tokenRefused: 4001, replaced: 4002, hubStopping: 1001 } as const;

type Hello = Extract<AgentMessage, { type: 'hello' }>;
type Results = Extract<AgentMessage, { type: 'results' }>;
type Status = Extract<AgentMessage, { type: 'status' }>;

/**
 * One agent's connection, from hello to close. Messages are handled one at a time in the order they
 * arrive, so batches are stored in sequence order. Every message (and every pong) counts as hearing
 * from the agent; `last_seen_at` is written at most every `touchEveryMs`.
 */
export class AgentSession {
  private greeted = false;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private lastTouch = 0;
  private sentAssignment: string | undefined;
  /** The agent speaks the optional "power" part of the protocol. */
  private power = false;
  private sentPowerConfig: string | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly agent: AgentsTable,
    private readonly wire: Wire,
    private readonly touchEveryMs: number,
  ) {}

  get agentId(): string {
    return this.agent.id;
  }

  receive(text: string): void {
    this.enqueue(() => this.handle(text));
  }

  /** A pong or any frame: the agent is alive. */
  heard(): void {
    if (!this.greeted || Date.now() - this.lastTouch < this.touchEveryMs) return;
    this.lastTouch = Date.now();
    this.enqueue(async () => void (await this.touch({})));
  }

  /** Resend the assignment if it changed since the last one sent. */
  refresh(): void {
    this.enqueue(async () => {
      if (!(await this.stillValid())) return;
      await this.sendAssignment();
    });
  }

  runNow(checkId: string): boolean {
    if (!this.greeted || this.closed) return false;
    this.wire.send({ type: 'run', checkId });
    return true;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.wire.close(code, reason);
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.closed ? undefined : work()))
      .catch((error: unknown) => {
        this.ctx.log.error(
          { err: error, agentId: this.agent.id },
          'agent link: handling a message failed; closing the link (the agent will resend)',
        );
        this.close(1011, 'the hub could not handle a message');
      });
  }

  private async handle(text: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.refuse('not JSON');
    }
    const parsed = AgentMessage.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.refuse(`${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`);
    }
    const message = parsed.data;
    if (message.type !== 'hello' && !this.greeted) return this.refuse('say hello first');
    switch (message.type) {
      case 'hello':
        return this.hello(message);
      case 'results':
        return this.results(message);
      case 'status':
        return this.status(message);
      case 'power':
        return recordPowerState(this.ctx, this.agent, message);
      case 'power-log':
        await recordPowerLog(this.ctx, this.agent, message);
        this.wire.send({ type: 'power-ack', seq: message.seq });
        return;
    }
  }

  private refuse(why: string): void {
    this.ctx.log.warn({ agentId: this.agent.id, why }, 'agent link: refused a message');
    this.wire.send({ type: 'error', code: 'invalid_message', message: `The hub could not use that message (${why})` });
  }

  private async hello(message: Hello): Promise<void> {
    if (message.protocol !== AGENT_PROTOCOL_VERSION) {
      this.wire.send({
        type: 'error',
        code: 'protocol_version',
        message: `This hub speaks agent protocol ${AGENT_PROTOCOL_VERSION}; update the agent`,
      });
      return this.close(CLOSE.protocolError, 'unsupported protocol version');
    }
    this.greeted = true;
    this.power = message.features?.includes('power') ?? false;
    this.lastTouch = Date.now();
    const row = await this.touch({ version: message.version, hostname: message.hostname, uptime_s: message.uptimeS });
    if (!row) return;
    this.ctx.log.info(
      { agentId: this.agent.id, version: message.version, hostname: message.hostname },
      'site agent connected',
    );
    this.wire.send({
      type: 'welcome',
      agentId: this.agent.id,
      siteId: this.agent.site_id,
      ackedSeq: row.last_acked_seq,
      ...(this.power ? { features: ['power'] } : {}),
    });
    await this.sendAssignment(true);
  }

  private async results(message: Results): Promise<void> {
    const outcome = await storeBatch(this.ctx, this.agent.id, message.seq, message.results);
    if (outcome.duplicate)
      this.ctx.log.debug(
        { agentId: this.agent.id, seq: message.seq },
        'agent link: batch already stored; acknowledged again',
      );
    this.wire.send({ type: 'ack', seq: message.seq });
    this.heard();
  }

  private async status(message: Status): Promise<void> {
    this.lastTouch = Date.now();
    await this.touch({ uptime_s: message.uptimeS, backlog: message.backlog });
  }

  private async sendAssignment(force = false): Promise<void> {
    const checks = await assignedChecks(this.ctx, this.agent.id);
    const key = JSON.stringify(checks);
    if (force || key !== this.sentAssignment) {
      this.sentAssignment = key;
      this.wire.send({ type: 'assign', checks });
    }
    if (!this.power) return;
    const config = await powerConfigKey(this.ctx, this.agent.site_id);
    if (force || config.key !== this.sentPowerConfig) {
      this.sentPowerConfig = config.key;
      this.wire.send(config.message);
    }
    await sendPowerOrders(this.ctx, this.agent.site_id, (message) => this.wire.send(message));
  }

  /** The token this link was opened with is still the agent's; otherwise close the link. */
  private async stillValid(): Promise<boolean> {
    const row = await this.ctx.db.kysely
      .selectFrom('agents')
      .select(['token_hash', 'revoked_at'])
      .where('id', '=', this.agent.id)
      .executeTakeFirst();
    if (row && row.token_hash === this.agent.token_hash && !row.revoked_at) return true;
    this.close(CLOSE.tokenRefused, 'the agent was revoked, rotated or deleted');
    return false;
  }

  /**
   * Record that the agent was heard from (and what it reported). An agent that was pending or
   * unreachable becomes online; an unreachable one makes its site reachable again, once, even with
   * several hub processes (the status update is the claim).
   */
  private async touch(
    fields: Partial<Pick<AgentsTable, 'version' | 'hostname' | 'uptime_s' | 'backlog'>>,
  ): Promise<AgentsTable | undefined> {
    const now = isoNow(this.ctx.clock);
    const events: ChangeEvent[] = [];
    const touched = await this.ctx.db.kysely.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('agents')
        .set({ last_seen_at: now, ...fields })
        .where('id', '=', this.agent.id)
        .where('token_hash', '=', this.agent.token_hash)
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        this.close(CLOSE.tokenRefused, 'the agent was revoked, rotated or deleted');
        return undefined;
      }
      if (row.status === 'online') return row;
      const back = await trx
        .updateTable('agents')
        .set({ status: 'online', status_since: now })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (row.status === 'unreachable' && Number(back.numUpdatedRows) === 1) {
        events.push(...(await markSiteReachable(this.ctx, row.site_id, row.id, now, { db: trx })).events);
      }
      return { ...row, status: 'online', status_since: now };
    });
    for (const event of events) this.ctx.bus.publish(event);
    return touched;
  }
}
