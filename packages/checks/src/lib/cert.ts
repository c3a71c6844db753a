import { checkServerIdentity, type TLSSocket } from 'node:tls';
import type { CheckStatus } from '../types.js';
import { isTrustError } from './net.js';

const DAY_MS = 86_400_000;

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  daysLeft: number;
  selfSigned: boolean;
  authorized: boolean;
  authorizationError: string | null;
  fingerprint256: string;
}

export interface CertificateVerdict {
  status: CheckStatus;
  message: string;
  certificate: CertificateInfo | null;
}

export interface CertificatePolicy {
  /** The name the certificate must be for: the host we connected to, or the SNI name given. */
  hostname: string;
  warnDays: number;
  acceptSelfSigned: boolean;
}

function name(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  const cn = fields.CN;
  if (typeof cn === 'string') return cn;
  if (Array.isArray(cn)) return cn.join(', ');
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

export function certificateInfo(socket: TLSSocket, now = Date.now()): CertificateInfo | null {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return null;
  const validTo = new Date(cert.valid_to);
  const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
  return {
    subject: name(cert.subject as unknown as Record<string, unknown>),
    issuer: name(cert.issuer as unknown as Record<string, unknown>),
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: validTo.toISOString(),
    daysLeft: Math.floor((validTo.getTime() - now) / DAY_MS),
    selfSigned: authorizationError === 'DEPTH_ZERO_SELF_SIGNED_CERT',
    authorized: socket.authorized,
    authorizationError,
    fingerprint256: cert.fingerprint256,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Judges a peer certificate: down when expired, not yet valid, untrusted (unless self-signed
 * certificates are accepted) or issued for another name; degraded within the warning days.
 */
export function judgeCertificate(socket: TLSSocket, policy: CertificatePolicy, now = Date.now()): CertificateVerdict {
  const certificate = certificateInfo(socket, now);
  if (!certificate) return { status: 'down', message: 'server sent no certificate', certificate };
  const until = certificate.validTo.slice(0, 10);
  const expiresMs = new Date(certificate.validTo).getTime() - now;
  if (expiresMs <= 0) {
    const ago = Math.floor(-expiresMs / DAY_MS);
    const when = ago === 0 ? 'today' : `${plural(ago, 'day')} ago`;
    return { status: 'down', message: `certificate expired ${when} (${until})`, certificate };
  }
  if (new Date(certificate.validFrom).getTime() > now) {
    return {
      status: 'down',
      message: `certificate is not valid until ${certificate.validFrom.slice(0, 10)}`,
      certificate,
    };
  }
  // Node skips the name check when the chain is already untrusted, so it is done here for every certificate.
  const nameError = checkServerIdentity(policy.hostname, socket.getPeerCertificate());
  const error = nameError ? 'ERR_TLS_CERT_ALTNAME_INVALID' : certificate.authorizationError;
  if (error && !(policy.acceptSelfSigned && isTrustError(error))) {
    const why =
      error === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? `certificate is for ${certificate.subject}, not ${policy.hostname}`
        : isTrustError(error)
          ? `certificate is not trusted (${error}); allow self-signed certificates if this is expected`
          : `certificate rejected (${error})`;
    return { status: 'down', message: why, certificate };
  }
  if (certificate.daysLeft < policy.warnDays) {
    return {
      status: 'degraded',
      message: `certificate expires in ${plural(certificate.daysLeft, 'day')} (${until})`,
      certificate,
    };
  }
  return {
    status: 'up',
    message: `certificate valid for ${plural(certificate.daysLeft, 'more day')} (until ${until})`,
    certificate,
  };
}

const ORDER: Record<CheckStatus, number> = { up: 0, degraded: 1, down: 2 };

export function worst(...statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce((a, b) => (ORDER[b] > ORDER[a] ? b : a), 'up' as CheckStatus);
}
