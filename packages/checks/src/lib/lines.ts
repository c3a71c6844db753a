import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';

/**
 * Reads CRLF (or LF) terminated lines from a socket. Used by the text protocols (SMTP, IMAP, SSH banner).
 * Rejects when the peer closes, the socket fails or the signal aborts.
 */
export class LineReader {
  private buffer = '';
  private lines: string[] = [];
  private waiting: { resolve: (line: string) => void; reject: (err: Error) => void } | null = null;
  private failure: Error | null = null;
  private readonly decoder = new StringDecoder('utf8'); // keeps a character split across packets whole
  private readonly onData = (chunk: Buffer) => this.push(this.decoder.write(chunk));
  private readonly onEnd = () =>
    this.fail(Object.assign(new Error('connection closed by the server'), { code: 'ECLOSED' }));
  private readonly onError = (err: Error) => this.fail(err);

  constructor(
    private readonly socket: Socket,
    private readonly maxLineLength = 8192,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** Stops reading from the socket (before handing it to TLS for STARTTLS). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  private push(text: string): void {
    this.buffer += text;
    let index: number;
    while ((index = this.buffer.indexOf('\n')) >= 0) {
      this.lines.push(this.buffer.slice(0, index).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(index + 1);
    }
    if (this.buffer.length > this.maxLineLength) {
      this.fail(new Error(`server sent a line longer than ${this.maxLineLength} bytes`));
      return;
    }
    this.deliver();
  }

  private deliver(): void {
    if (!this.waiting) return;
    const line = this.lines.shift();
    if (line !== undefined) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve(line);
    } else if (this.failure) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(this.failure);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.deliver();
  }
}

export function send(socket: Socket, line: string): void {
  socket.write(`${line}\r\n`);
}
