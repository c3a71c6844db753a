import { randomUUID } from 'node:crypto';
import { ChangeEvent } from '@afterhours/shared';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { EventBus } from './bus.js';
import { PeerMessage } from './peer-message.js';

const CHANNEL = 'afterhours_changes';

/**
 * Carries change events and peer messages between hub processes that share one PostgreSQL database:
 * each local one is sent with NOTIFY, and notifications from other processes are published on the
 * local bus. A lost listening connection is re-opened with backoff; live screens refetch on reconnect
 * anyway, and a peer message lost meanwhile goes unanswered (its sender times out).
 */
export class PostgresFanout {
  private readonly origin = randomUUID();
  private listener: pg.Client | undefined;
  private stopped = false;
  private unsubscribe: Array<() => void> = [];
  private readonly relayed = new WeakSet<object>();

  constructor(
    private readonly url: string,
    private readonly bus: EventBus,
    private readonly notifier: (channel: string, payload: string) => Promise<void>,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = [
      this.bus.subscribe((event) => this.send(event, { event })),
      this.bus.subscribePeer((peer) => this.send(peer, { peer })),
    ];
    this.bus.crossesProcesses = true;
    await this.connect();
  }

  private send(item: object, body: { event: unknown } | { peer: unknown }): void {
    if (this.relayed.has(item)) return;
    this.notifier(CHANNEL, JSON.stringify({ origin: this.origin, ...body })).catch((error: unknown) =>
      this.log.warn({ err: error }, 'could not send a change notice to other hub processes'),
    );
  }

  private async connect(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000, keepAlive: true });
    client.on('notification', (message) => this.receive(message.payload));
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'the change-notice connection to PostgreSQL failed; reconnecting');
      void client.end().catch(() => {});
      if (this.listener === client) this.listener = undefined;
      setTimeout(() => void this.connect(attempt + 1), Math.min(30_000, 500 * 2 ** attempt)).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.log.warn({ err: error }, 'could not listen for change notices; retrying');
      await client.end().catch(() => {});
      setTimeout(() => void this.connect(attempt + 1), Math.min(30_000, 500 * 2 ** attempt)).unref();
    }
  }

  private receive(payload: string | undefined): void {
    if (!payload) return;
    try {
      const message = JSON.parse(payload) as { origin?: string; event?: unknown; peer?: unknown };
      if (message.origin === this.origin) return;
      if (message.peer !== undefined) {
        const peer = PeerMessage.parse(message.peer);
        this.relayed.add(peer);
        this.bus.publishPeer(peer);
        return;
      }
      const event = ChangeEvent.parse(message.event);
      this.relayed.add(event);
      this.bus.publish(event);
    } catch (error) {
      this.log.warn({ err: error }, 'ignored a malformed change notice');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.bus.crossesProcesses = false;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await this.listener?.end().catch(() => {});
  }
}
