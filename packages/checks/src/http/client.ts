import type net from 'node:net';
import { connect } from '../lib/net.js';

/**
 * A small HTTP/1.1 client for checks: one fresh connection per request (so a certificate is always seen),
 * `Connection: close`, the answer read as far as a check needs it. node:http's request, parser and stream
 * machinery cost twice the CPU per check of this on a loopback target, and the built-in probe runs
 * thousands of checks a minute.
 */

export interface HttpRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
  /** Stop reading the body after this many bytes. */
  maxBodyBytes: number;
  /** The request's head as `requestHead` writes it, when the caller built it already. */
  head?: string;
}

export interface HttpAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Map<string, string>;
  body: Buffer;
}

/** A malformed answer: the port answers, but not with HTTP. */
export class HttpProtocolError extends Error {
  readonly code = 'EHTTPPROTOCOL';
}

const MAX_HEAD_BYTES = 64 * 1024;
/** Headers this client writes itself; a check's own values for them are not sent. */
const OWN_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Sends one request; `onConnected` sees the connection first (a TLSSocket for https: its certificate). */
export async function httpRequest(
  request: HttpRequest,
  onConnected?: (socket: net.Socket) => void,
): Promise<HttpAnswer> {
  const { url, signal } = request;
  const https = url.protocol === 'https:';
  const socket = await connect({
    host: hostOf(url),
    port: Number(url.port) || (https ? 443 : 80),
    signal,
    ...(https ? { tls: {} } : {}),
  });
  onConnected?.(socket);
  return new Promise<HttpAnswer>((resolve, reject) => {
    const reader = new AnswerReader(request.method === 'HEAD', request.maxBodyBytes);
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) return reject(error);
      const answer = reader.answer();
      if (!answer) return reject(Object.assign(new Error('connection closed before an answer'), { code: 'ECLOSED' }));
      resolve(answer);
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        if (reader.push(chunk)) finish(null);
      } catch (error) {
        finish(error as Error);
      }
    });
    socket.once('error', (error) => finish(error));
    socket.once('close', () => {
      if (signal.aborted)
        return finish(
          signal.reason instanceof Error ? signal.reason : Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }),
        );
      finish(null); // an answer cut short keeps what arrived, as node:http's 'close' did
    });
    socket.write(request.head ?? requestHead(request));
    if (request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD') socket.write(request.body);
  });
}

/** The request line and headers, ending in the blank line. */
export function requestHead({
  url,
  method,
  headers,
  body,
}: Pick<HttpRequest, 'url' | 'method' | 'headers' | 'body'>): string {
  const lines = [`${method} ${url.pathname || '/'}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(headers)) {
    if (!OWN_HEADERS.has(name.toLowerCase())) lines.push(`${name}: ${value}`);
  }
  lines.push('Connection: close');
  const sendsBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
  if (sendsBody || METHODS_WITH_BODY.has(method))
    lines.push(`Content-Length: ${sendsBody ? Buffer.byteLength(body) : 0}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

type BodyMode = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

/** Reads one HTTP/1.x answer from the bytes as they arrive; `push` says when it has all it needs. */
class AnswerReader {
  private buffer: Buffer = Buffer.alloc(0);
  private status = 0;
  private headers = new Map<string, string>();
  private mode: BodyMode | null = null;
  private readonly body: Buffer[] = [];
  private bodySize = 0;
  /** In a chunked body: bytes left of the current chunk (then its CRLF), or null when a size line is next. */
  private chunkLeft: number | null = null;

  constructor(
    private readonly head: boolean,
    private readonly maxBodyBytes: number,
  ) {}

  answer(): { status: number; headers: Map<string, string>; body: Buffer } | null {
    if (this.mode === null) return null;
    return {
      status: this.status,
      headers: this.headers,
      body: Buffer.concat(this.body).subarray(0, this.maxBodyBytes),
    };
  }

  /** True once the answer is complete, or enough of its body has been read. */
  push(chunk: Buffer): boolean {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (this.mode === null) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buffer.length > MAX_HEAD_BYTES)
          throw new HttpProtocolError('the answer’s headers are larger than 64 KiB');
        return false;
      }
      this.readHead(this.buffer.subarray(0, end).toString('latin1'));
      this.buffer = this.buffer.subarray(end + 4);
    }
    return this.readBody();
  }

  private readHead(text: string): void {
    const [statusLine = '', ...lines] = text.split('\r\n');
    const match = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
    if (!match) throw new HttpProtocolError(`the answer is not HTTP: "${statusLine.slice(0, 40)}"`);
    const status = Number(match[1]);
    if (status >= 100 && status < 200 && status !== 101) return; // an interim answer (100 Continue): the real one follows
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const before = headers.get(name);
      headers.set(name, before === undefined ? value : `${before}, ${value}`);
    }
    this.status = status;
    this.headers = headers;
    const length = headers.get('content-length');
    if (this.head || status === 204 || status === 304) this.mode = { kind: 'none' };
    else if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) this.mode = { kind: 'chunked' };
    else if (length !== undefined && /^\d+$/.test(length)) this.mode = { kind: 'length', left: Number(length) };
    else this.mode = { kind: 'close' };
  }

  private keep(bytes: Buffer): boolean {
    if (bytes.length) {
      this.body.push(bytes);
      this.bodySize += bytes.length;
    }
    return this.bodySize >= this.maxBodyBytes;
  }

  private readBody(): boolean {
    const mode = this.mode!;
    switch (mode.kind) {
      case 'none':
        return true;
      case 'close': {
        const full = this.keep(this.buffer);
        this.buffer = Buffer.alloc(0);
        return full;
      }
      case 'length': {
        const part = this.buffer.subarray(0, mode.left);
        mode.left -= part.length;
        this.buffer = this.buffer.subarray(part.length);
        return this.keep(part) || mode.left === 0;
      }
      case 'chunked':
        return this.readChunks();
    }
  }

  private readChunks(): boolean {
    for (;;) {
      if (this.chunkLeft === null) {
        const end = this.buffer.indexOf('\r\n');
        if (end < 0) return false;
        const size = parseInt(this.buffer.subarray(0, end).toString('latin1').split(';')[0]!.trim(), 16);
        if (!Number.isFinite(size) || size < 0) throw new HttpProtocolError('the answer’s chunked body is malformed');
        this.buffer = this.buffer.subarray(end + 2);
        if (size === 0) return true; // trailers, if any, are not needed
        this.chunkLeft = size;
      }
      if (this.chunkLeft > 0) {
        const part = this.buffer.subarray(0, this.chunkLeft);
        this.chunkLeft -= part.length;
        this.buffer = this.buffer.subarray(part.length);
        if (this.keep(part)) return true;
        if (this.chunkLeft > 0) return false;
      }
      if (this.buffer.length < 2) return false; // the CRLF after the chunk's data
      this.buffer = this.buffer.subarray(2);
      this.chunkLeft = null;
    }
  }
}
