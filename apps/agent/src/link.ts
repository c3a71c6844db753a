import { AGENT_PROTOCOL_VERSION, HubMessage, type AgentMessage, type AssignedCheck } from '@afterhours/shared';
import WebSocket from 'ws';
import { reconnectDelayMs } from './backoff.js';
import type { Identity } from './identity.js';
import type { Logger } from './log.js';
import type { Outbox } from './outbox.js';

/**
 * The agent's link to the hub: dials out over a WebSocket, says hello, and once welcomed sends the
 * buffered batches in order, a few at a time, deleting each from disk when the hub acknowledges it.
 * A lost link is dialled again after a growing, jittered delay (1 s to 60 s). A hub that stays
 * silent (no ping, no message) for `silenceMs` is taken as gone and the socket is dropped.
 */

export interface LinkOptions {
  identity: Identity;
  outbox: Outbox;
  log: Logger;
  hello: () => { version: string; hostname: string; uptimeS: number };
  onAssign: (checks: AssignedCheck[]) => void;
  onRunNow: (checkId: string) => void;
  /** Power messages (feature "power"); an agent without them ignores them. */
  onPower?: (message: Extract<HubMessage, { type: 'power-config' | 'power-command' | 'power-ack' }>) => void;
  /** Welcomed by a hub that speaks these optional features. */
  onWelcome?: (features: string[]) => void;
  /** The hub refused this agent's token: it was revoked, or rotated. Retrying cannot help. */
  onRefused: (reason: string) => void;
  random?: () => number;
  /** Batches sent but not yet acknowledged, at most. */
  window?: number;
  silenceMs?: number;
  statusEveryMs?: number;
  handshakeTimeoutMs?: number;
}

/** Close codes the hub uses (4000–4999 are free for applications). */
export const CLOSE = { protocolError: 4000, tokenRefused: 4001, replaced: 4002 } as const;

export function socketUrl(hub: string): string {
  // Relative, so that a hub served under a path prefix (https://example.com/desk) keeps it.
  const url = new URL('api/agent/connect', hub.endsWith('/') ? hub : `${hub}/`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export class HubLink {
  private socket: WebSocket | undefined;
  private welcomed = false;
  private features: string[] = [];
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  /** The next batch to send on this connection. */
  private nextSeq = 0;
  private inFlight = 0;
  private pumping = false;
  private readonly window: number;
  private readonly silenceMs: number;

  constructor(private readonly options: LinkOptions) {
    this.window = options.window ?? 8;
    this.silenceMs = options.silenceMs ?? 75_000;
  }

  get connected(): boolean {
    return this.welcomed;
  }

  start(): void {
    this.dial();
  }

  /** A new batch is on disk: send it if the link is up. */
  batchWritten(): void {
    void this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.clearTimers();
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => socket.terminate(), 3000);
      socket.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      socket.close(1001, 'the agent is stopping');
    });
  }

  private dial(): void {
    if (this.stopped) return;
    const { identity, log } = this.options;
    const url = socketUrl(identity.hub);
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${identity.token}` },
      handshakeTimeout: this.options.handshakeTimeoutMs ?? 15_000,
      maxPayload: 16 * 1024 * 1024,
    });
    this.socket = socket;
    let refused = false;

    socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      refused = status === 401 || status === 403;
      log.warn({ status }, refused ? 'the hub refused this agent' : 'the hub answered the connection with an error');
      response.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      log.info({ hub: identity.hub }, 'connected to the hub');
      this.heard();
      this.send({ type: 'hello', protocol: AGENT_PROTOCOL_VERSION, ...this.options.hello(), features: ['power'] });
    });
    socket.on('ping', () => this.heard());
    socket.on('message', (data) => {
      this.heard();
      this.receive(String(data));
    });
    socket.on('error', (error) => log.debug({ err: error }, 'link error'));
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const wasWelcomed = this.welcomed;
      this.welcomed = false;
      this.features = [];
      this.clearTimers();
      if (this.stopped) return;
      if (refused || code === CLOSE.tokenRefused) {
        this.options.onRefused(String(reason) || 'the token is unknown or revoked');
        return;
      }
      if (wasWelcomed) this.attempt = 0;
      const delay = reconnectDelayMs(this.attempt++, this.options.random ?? Math.random);
      log.warn(
        { code, reason: String(reason) || undefined, retryInMs: delay },
        'lost the link to the hub; results are kept on disk until it is back',
      );
      this.retryTimer = setTimeout(() => this.dial(), delay);
    });
  }

  private receive(text: string): void {
    let parsed: ReturnType<typeof HubMessage.safeParse>;
    try {
      parsed = HubMessage.safeParse(JSON.parse(text));
    } catch {
      this.options.log.warn('the hub sent something that is not JSON; ignored');
      return;
    }
    if (!parsed.success) {
      this.options.log.warn(
        { issues: parsed.error.issues.slice(0, 3) },
        'the hub sent a message this agent does not understand; ignored',
      );
      return;
    }
    void this.handle(parsed.data).catch((error: unknown) =>
      this.options.log.error({ err: error }, 'handling a message from the hub failed'),
    );
  }

  private async handle(message: HubMessage): Promise<void> {
    const { outbox, log } = this.options;
    switch (message.type) {
      case 'welcome':
        log.info(
          { agentId: message.agentId, ackedSeq: message.ackedSeq, backlog: outbox.backlog },
          'the hub welcomed this agent',
        );
        await outbox.acknowledge(message.ackedSeq);
        await outbox.raiseSeqTo(message.ackedSeq);
        this.welcomed = true;
        this.nextSeq = message.ackedSeq + 1;
        this.inFlight = 0;
        this.sendStatus();
        this.statusTimer = setInterval(() => this.sendStatus(), this.options.statusEveryMs ?? 30_000);
        this.features = message.features ?? [];
        this.options.onWelcome?.(this.features);
        await this.pump();
        return;
      case 'power-config':
      case 'power-command':
      case 'power-ack':
        this.options.onPower?.(message);
        return;
      case 'assign':
        log.info({ checks: message.checks.length }, 'checks assigned');
        this.options.onAssign(message.checks);
        return;
      case 'ack':
        await outbox.acknowledge(message.seq);
        this.inFlight = Math.max(0, outbox.pendingSeqs().filter((seq) => seq < this.nextSeq).length);
        await this.pump();
        return;
      case 'run':
        this.options.onRunNow(message.checkId);
        return;
      case 'error':
        log.warn({ code: message.code, message: message.message }, 'the hub reported an error');
        return;
    }
  }

  /** Send buffered batches in order while the window allows. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.welcomed && this.inFlight < this.window) {
        const seq = this.options.outbox.pendingSeqs().find((s) => s >= this.nextSeq);
        if (seq === undefined) return;
        const batch = await this.options.outbox.read(seq);
        this.nextSeq = seq + 1;
        if (!batch || !this.welcomed) continue;
        this.send({ type: 'results', seq, results: batch.results });
        this.inFlight += 1;
      }
    } finally {
      this.pumping = false;
    }
  }

  private sendStatus(): void {
    const { uptimeS } = this.options.hello();
    this.send({ type: 'status', uptimeS, backlog: this.options.outbox.backlog });
  }

  private send(message: AgentMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Sends a message of an optional feature when the link is up and the hub speaks it. */
  sendFeature(feature: string, message: AgentMessage): boolean {
    if (!this.welcomed || !this.features.includes(feature) || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private heard(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      this.options.log.warn({ silentForMs: this.silenceMs }, 'heard nothing from the hub; dropping the link');
      this.socket?.terminate();
    }, this.silenceMs);
  }

  private clearTimers(): void {
    clearTimeout(this.silenceTimer);
    clearInterval(this.statusTimer);
  }
}
