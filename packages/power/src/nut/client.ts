import net from 'node:net';
import tls from 'node:tls';
import { describeNetError, where } from '@afterhours/checks';

/**
 * A client of Network UPS Tools' network protocol (upsd, TCP 3493), one connection per client.
 * Commands go one at a time (upsd answers in order); each has a timeout, after which the connection
 * is dropped because its state is no longer known. An idle connection sends VER now and then, since
 * upsd drops clients silent for 60 s.
 */
export interface NutClientOptions {
  host: string;
  port?: number;
  username?: string;
  password?: string;
  /** off: never; when-offered: STARTTLS, carry on in clear text when upsd has no TLS; required: fail without it. */
  tls?: 'off' | 'when-offered' | 'required';
  /** Trust for the upsd certificate (PEM); leave out to trust the system's authorities. */
  ca?: string;
  timeoutMs?: number;
  keepAliveMs?: number;
}

/** An ERR answer from upsd, such as DRIVER-NOT-CONNECTED, DATA-STALE, ACCESS-DENIED, UNKNOWN-UPS. */
export class NutError extends Error {
  constructor(
    readonly code: string,
    command: string,
  ) {
    super(`upsd answered ERR ${code} to ${command.split(' ').slice(0, 2).join(' ')}`);
    this.name = 'NutError';
  }
}

/** The connection is gone (refused, reset, closed, timed out); the message says which. */
export class NutConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NutConnectionError';
  }
}

interface Pending {
  command: string;
  list: boolean;
  lines: string[];
  resolve: (lines: string[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class NutClient {
  private buffer = '';
  private queue: Pending[] = [];
  private closedWith: Error | null = null;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly closeListeners: ((err: Error) => void)[] = [];
  /** True once STARTTLS succeeded. */
  encrypted = false;

  private constructor(
    private socket: net.Socket | tls.TLSSocket,
    private readonly options: Required<Pick<NutClientOptions, 'host' | 'port' | 'timeoutMs' | 'keepAliveMs'>> &
      NutClientOptions,
  ) {
    this.attach(socket);
  }

  static async connect(options: NutClientOptions): Promise<NutClient> {
    const full = { port: 3493, timeoutMs: 5000, keepAliveMs: 30_000, ...options };
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: full.host, port: full.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          new NutConnectionError(`no answer from upsd at ${where(full.host, full.port)} within ${full.timeoutMs} ms`),
        );
      }, full.timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(new NutConnectionError(`upsd: ${describeNetError(err, full.host, full.port)}`));
      });
    });
    socket.setNoDelay(true);
    const client = new NutClient(socket, full);
    try {
      if ((full.tls ?? 'when-offered') !== 'off') await client.startTls();
      if (full.username !== undefined) {
        await client.simple(`USERNAME ${quote(full.username)}`);
        await client.simple(`PASSWORD ${quote(full.password ?? '')}`);
      }
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  /** Called once when the connection is lost (not after close()). */
  onClose(listener: (err: Error) => void): void {
    this.closeListeners.push(listener);
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  async listUps(): Promise<{ name: string; description: string }[]> {
    const lines = await this.list('LIST UPS');
    return lines.map((line) => {
      const [, name = '', description = ''] = splitWords(line);
      return { name, description };
    });
  }

  async listVars(ups: string): Promise<Record<string, string>> {
    const lines = await this.list(`LIST VAR ${ups}`);
    const vars: Record<string, string> = {};
    for (const line of lines) {
      const [, , name, value] = splitWords(line);
      if (name !== undefined) vars[name] = value ?? '';
    }
    return vars;
  }

  async getVar(ups: string, name: string): Promise<string> {
    const [line = ''] = await this.send(`GET VAR ${ups} ${name}`, false);
    return splitWords(line)[3] ?? '';
  }

  /** Tells upsd this client depends on the UPS (upsmon does it; needs an upsmon user). */
  async login(ups: string): Promise<void> {
    await this.simple(`LOGIN ${ups}`);
  }

  close(): void {
    if (this.closedWith) return;
    this.closedWith = new NutConnectionError('closed by us');
    clearTimeout(this.keepAlive);
    try {
      this.socket.end('LOGOUT\n');
    } catch {
      // already gone
    }
    this.socket.destroy();
    this.failAll(this.closedWith);
  }

  private async startTls(): Promise<void> {
    const answer = await this.send('STARTTLS', false).catch((err: unknown) => {
      if (err instanceof NutError && this.options.tls !== 'required') return null;
      throw err;
    });
    if (answer === null) return;
    const plain = this.socket;
    this.detach(plain);
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({
        socket: plain,
        servername: net.isIP(this.options.host) ? undefined : this.options.host,
        ca: this.options.ca,
      });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new NutConnectionError(`TLS handshake with upsd did not finish within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      s.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(new NutConnectionError(`upsd TLS: ${describeNetError(err, this.options.host, this.options.port)}`));
      });
    });
    this.socket = secure;
    this.attach(secure);
    this.encrypted = true;
  }

  private simple(command: string): Promise<string[]> {
    return this.send(command, false);
  }

  private list(command: string): Promise<string[]> {
    return this.send(command, true);
  }

  private send(command: string, list: boolean): Promise<string[]> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.lose(new NutConnectionError(`upsd did not answer ${command} within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      this.queue.push({ command, list, lines: [], resolve, reject, timer });
      this.socket.write(`${command}\n`);
      this.armKeepAlive();
    });
  }

  private armKeepAlive(): void {
    clearTimeout(this.keepAlive);
    this.keepAlive = setTimeout(() => {
      this.send('VER', false).catch(() => undefined);
    }, this.options.keepAliveMs);
    this.keepAlive.unref();
  }

  private readonly onData = (chunk: Buffer) => {
    this.buffer += chunk.toString('utf8');
    for (let index = this.buffer.indexOf('\n'); index >= 0; index = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, index).replace(/\r$/, '');
      this.buffer = this.buffer.slice(index + 1);
      this.receive(line);
    }
    if (this.buffer.length > 65_536) this.lose(new NutConnectionError('upsd sent a line longer than 64 KiB'));
  };
  private readonly onEnd = () =>
    this.lose(new NutConnectionError(`connection to upsd at ${where(this.options.host, this.options.port)} lost`));
  private readonly onError = (err: Error) =>
    this.lose(new NutConnectionError(`upsd: ${describeNetError(err, this.options.host, this.options.port)}`));

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  private detach(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('close', this.onEnd);
    socket.off('error', this.onError);
  }

  private receive(line: string): void {
    const pending = this.queue[0];
    if (!pending) return; // upsd never speaks unasked; ignore noise
    if (line.startsWith('ERR ')) this.finish(new NutError(line.slice(4).split(' ')[0] ?? '', pending.command));
    else if (!pending.list) this.finish(null, [line]);
    else if (line.startsWith('END LIST')) this.finish(null, pending.lines);
    else if (!line.startsWith('BEGIN LIST')) pending.lines.push(line);
  }

  private finish(err: Error | null, lines: string[] = []): void {
    const pending = this.queue.shift();
    if (!pending) return;
    clearTimeout(pending.timer);
    if (err) pending.reject(err);
    else pending.resolve(lines);
  }

  private lose(err: Error): void {
    if (this.closedWith) return;
    this.closedWith = err;
    clearTimeout(this.keepAlive);
    this.socket.destroy();
    this.failAll(err);
    for (const listener of this.closeListeners) listener(err);
  }

  private failAll(err: Error): void {
    for (const pending of this.queue.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(err);
    }
  }
}

/** Splits a protocol line into words, honouring "quoted strings" with \" and \\ escapes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    words.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? ''));
  }
  return words;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
