import net from 'node:net';
import tls from 'node:tls';

/** "127.0.0.1:2525", "[::1]:2525", "mail.example.com:25". */
export function where(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

const TRUST_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** True when a TLS authorization error only says that no trusted authority signed the certificate. */
export function isTrustError(code: string): boolean {
  return TRUST_ERRORS.has(code);
}

/** Turns a network error into words a technician acts on: "connection refused on 127.0.0.1:2525". */
export function describeNetError(err: unknown, host: string, port?: number): string {
  const at = port === undefined ? host : where(host, port);
  const code = codeOf(err);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused on ${at}`;
    case 'ECONNRESET':
      return `connection reset by ${at}`;
    case 'ECLOSED':
      return `connection closed by ${at} before it finished answering`;
    case 'EPIPE':
      return `connection closed by ${at} while sending`;
    case 'ETIMEDOUT':
      return `no answer from ${at} (connection timed out)`;
    case 'EHOSTUNREACH':
      return `host unreachable: ${at}`;
    case 'ENETUNREACH':
      return `network unreachable for ${at}`;
    case 'ENOTFOUND':
      return `host name not found: ${host}`;
    case 'EAI_AGAIN':
      return `could not look up ${host} (DNS temporarily failing)`;
    case 'EADDRNOTAVAIL':
      return `address not available: ${at}`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `certificate of ${at} is not valid for the name ${host}`;
    case 'CERT_HAS_EXPIRED':
      return `certificate of ${at} has expired`;
    case 'ABORT_ERR':
      return `gave up on ${at} (aborted)`;
    default:
      break;
  }
  if (code && isTrustError(code)) return `certificate of ${at} is not trusted (${code})`;
  const message = err instanceof Error ? err.message : String(err);
  if (/wrong version number|packet length too long|unknown protocol/i.test(message)) {
    return `TLS handshake failed with ${at}: the port does not speak TLS`;
  }
  return code ? `${message} (${code}) on ${at}` : `${message} on ${at}`;
}

export interface ConnectOptions {
  host: string;
  port: number;
  signal: AbortSignal;
  /** Implicit TLS. Certificates are never rejected here: callers judge them with judgeCertificate. */
  tls?: { servername?: string };
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('aborted'), { code: 'ABORT_ERR' });
}

function servernameFor(host: string, servername?: string): string | undefined {
  const name = servername ?? host;
  return net.isIP(name) ? undefined : name;
}

/** Opens a TCP (or TLS) connection; the socket is destroyed if the signal aborts. */
export function connect(options: ConnectOptions): Promise<net.Socket> {
  const { host, port, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const socket = options.tls
      ? tls.connect({ host, port, servername: servernameFor(host, options.tls.servername), rejectUnauthorized: false })
      : net.connect({ host, port });
    // One listener for the connection's whole life: before it is up it also rejects (a no-op after).
    const onAbort = () => {
      socket.destroy();
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    });
    socket.once(options.tls ? 'secureConnect' : 'connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // later errors surface through readers
      resolve(socket);
    });
  });
}

/** Upgrades a connected socket to TLS (STARTTLS); the certificate is returned to be judged, not rejected. */
export function startTls(
  socket: net.Socket,
  host: string,
  signal: AbortSignal,
  servername?: string,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const secure = tls.connect({ socket, servername: servernameFor(host, servername), rejectUnauthorized: false });
    secure.once('error', reject);
    secure.once('secureConnect', () => {
      secure.removeAllListeners('error');
      secure.on('error', () => undefined);
      signal.addEventListener('abort', () => secure.destroy(), { once: true });
      resolve(secure);
    });
  });
}

export function elapsedSince(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10;
}
