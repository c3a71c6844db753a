import { randomBytes } from 'node:crypto';
import { where } from '../lib/net.js';

export type SipTransport = 'udp' | 'tcp';

export interface OptionsRequest {
  text: string;
  callId: string;
  branch: string;
}

/** Builds a SIP OPTIONS request (RFC 3261 §11) as sent by a user agent that wants to know if the peer answers. */
export function buildOptions(o: {
  transport: SipTransport;
  target: { host: string; port: number };
  local: { host: string; port: number };
  fromUser: string;
}): OptionsRequest {
  const branch = `z9hG4bK${randomBytes(8).toString('hex')}`;
  const tag = randomBytes(6).toString('hex');
  const callId = `${randomBytes(10).toString('hex')}@afterhours`;
  const suffix = o.transport === 'tcp' ? ';transport=tcp' : '';
  const target = `sip:${where(o.target.host, o.target.port)}${suffix}`;
  const local = where(o.local.host, o.local.port);
  const text = [
    `OPTIONS ${target} SIP/2.0`,
    `Via: SIP/2.0/${o.transport.toUpperCase()} ${local};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:${o.fromUser}@${local}${suffix}>;tag=${tag}`,
    `To: <${target}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:${o.fromUser}@${local}${suffix}>`,
    'Accept: application/sdp',
    'User-Agent: Afterhours-check/1',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  return { text, callId, branch };
}

export interface SipResponse {
  code: number;
  reason: string;
  headers: Record<string, string>;
}

/** Compact header names (RFC 3261 §7.3.3) that matter here. */
const COMPACT: Record<string, string> = {
  i: 'call-id',
  v: 'via',
  l: 'content-length',
  f: 'from',
  t: 'to',
  m: 'contact',
};

/** Parses the head of a SIP response; null when it is not one. Header names are lower-cased, first value wins. */
export function parseResponse(head: string): SipResponse | null {
  const [statusLine = '', ...lines] = head.split(/\r?\n/);
  const status = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(statusLine);
  if (!status) return null;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { code: Number(status[1]), reason: status[2]!.trim(), headers };
}

/** True when the response answers our request (same Call-ID and CSeq 1 OPTIONS). */
export function answers(response: SipResponse, request: OptionsRequest): boolean {
  return response.headers['call-id'] === request.callId && /^1\s+OPTIONS$/i.test(response.headers.cseq ?? '');
}

/**
 * Splits a TCP byte stream into SIP messages using Content-Length.
 * Returns the complete messages' heads and the bytes left over.
 */
export function splitStream(buffer: Buffer): { heads: string[]; rest: Buffer } {
  const heads: string[] = [];
  let rest = buffer;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.subarray(0, end).toString('utf8');
    const length = Number(/^(?:content-length|l)\s*:\s*(\d+)/im.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) break;
    heads.push(head);
    rest = rest.subarray(end + 4 + length);
  }
  return { heads, rest };
}
