import { STATUS_CODES } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { defineCheck, type CheckResult, type CheckStatus } from '../types.js';
import { StatusCodes, WarnDays, statusCodeMatcher } from '../lib/params.js';
import { describeNetError, elapsedSince, where } from '../lib/net.js';
import { HttpProtocolError, hostOf, httpRequest, requestHead } from './client.js';
import { judgeCertificate, worst, type CertificateVerdict } from '../lib/cert.js';

/** Only this much of a page is read to look for keywords. */
const MAX_BODY_BYTES = 1024 * 1024;

export const httpParams = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be a full http:// or https:// address' }),
  method: z
    .enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], {
      error: 'must be GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS',
    })
    .default('GET'),
  headers: z
    .record(
      z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, {
        error: 'header names are letters, digits and - (no spaces or colons)',
      }),
      z.string().refine((v) => !/[\r\n\0]/.test(v), { error: 'header values must be on one line' }),
      { error: 'must be header names mapped to values' },
    )
    .default({}),
  body: z.string({ error: 'must be text' }).optional(),
  expectedStatus: StatusCodes.default('200-399'),
  /** The page must contain this text (case-sensitive). */
  mustContain: z.string().min(1, { error: 'must not be empty; leave it out instead' }).optional(),
  /** The page must not contain this text, e.g. "Error establishing a database connection". */
  mustNotContain: z.string().min(1, { error: 'must not be empty; leave it out instead' }).optional(),
  followRedirects: z.boolean({ error: 'must be true or false' }).default(true),
  maxRedirects: z.number().int().min(0, { error: 'must be 0 to 20' }).max(20, { error: 'must be 0 to 20' }).default(5),
  certExpiryWarnDays: WarnDays.default(14),
  acceptSelfSigned: z.boolean({ error: 'must be true or false' }).default(false),
});
type HttpParams = z.output<typeof httpParams>;

interface Hop {
  url: URL;
  status: number;
  location: string | undefined;
  body: string;
  certificate: CertificateVerdict | null;
}

/** What a check's own first request needs, built once per parsed settings instead of on every run. */
interface FirstRequest {
  url: URL;
  headers: Record<string, string>;
  head: string;
  readsBody: boolean;
}
const firstRequests = new WeakMap<HttpParams, FirstRequest>();

function firstRequest(params: HttpParams): FirstRequest {
  let first = firstRequests.get(params);
  if (!first) {
    const url = new URL(params.url);
    const headers = { 'user-agent': 'Afterhours-check/1', ...params.headers };
    const head = requestHead({ url, method: params.method, headers, body: params.body });
    const readsBody = params.mustContain !== undefined || params.mustNotContain !== undefined;
    first = { url, headers, head, readsBody };
    firstRequests.set(params, first);
  }
  return first;
}

async function request(
  url: URL,
  method: string,
  params: HttpParams,
  signal: AbortSignal,
  first: FirstRequest,
): Promise<Hop> {
  let certificate: CertificateVerdict | null = null;
  const answer = await httpRequest(
    {
      url,
      method,
      headers: first.headers,
      body: params.body,
      signal,
      maxBodyBytes: MAX_BODY_BYTES,
      ...(url === first.url && method === params.method ? { head: first.head } : {}),
    },
    (socket) => {
      if (url.protocol !== 'https:') return;
      const policy = {
        hostname: hostOf(url),
        warnDays: params.certExpiryWarnDays,
        acceptSelfSigned: params.acceptSelfSigned,
      };
      certificate = judgeCertificate(socket as TLSSocket, policy);
    },
  );
  return {
    url,
    status: answer.status,
    location: answer.headers.get('location'),
    // Only a keyword check reads the page as text.
    body: first.readsBody ? answer.body.toString('utf8') : '',
    certificate,
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function statusText(code: number): string {
  return `HTTP ${code}${STATUS_CODES[code] ? ` ${STATUS_CODES[code]}` : ''}`;
}

function judge(hops: Hop[], params: HttpParams, latencyMs: number): CheckResult {
  const last = hops[hops.length - 1]!;
  const certificates = hops.map((h) => h.certificate).filter((c): c is CertificateVerdict => c !== null);
  const details = {
    status: last.status,
    url: last.url.href,
    redirects: hops.slice(0, -1).map((h) => `${h.status} ${h.url.href}`),
    certificate: certificates.at(-1)?.certificate ?? null,
  };
  const problems: { status: CheckStatus; text: string }[] = [];
  if (!statusCodeMatcher(params.expectedStatus)(last.status)) {
    problems.push({ status: 'down', text: `${statusText(last.status)} (expected ${params.expectedStatus})` });
  }
  if (params.mustContain !== undefined && !last.body.includes(params.mustContain)) {
    problems.push({ status: 'down', text: `"${params.mustContain}" not found in the page` });
  }
  if (params.mustNotContain !== undefined && last.body.includes(params.mustNotContain)) {
    problems.push({ status: 'down', text: `page contains "${params.mustNotContain}"` });
  }
  for (const cert of certificates) {
    if (cert.status !== 'up') problems.push({ status: cert.status, text: cert.message });
  }
  if (problems.length === 0) {
    const via = hops.length > 1 ? ` after ${hops.length - 1} redirect${hops.length > 2 ? 's' : ''}` : '';
    return { status: 'up', latencyMs, message: `${statusText(last.status)}${via}`, details };
  }
  const status = worst(...problems.map((p) => p.status));
  const texts = problems.map((p) => p.text);
  if (status === 'degraded') texts.unshift(statusText(last.status)); // the page works: say so first
  return { status, latencyMs, message: texts.join('; '), details };
}

export const http = defineCheck({
  kind: 'http',
  label: 'Web page (HTTP/HTTPS)',
  params: httpParams,
  async run(params, { signal }) {
    const start = process.hrtime.bigint();
    const hops: Hop[] = [];
    const first = firstRequest(params);
    let url = first.url;
    let method: string = params.method;
    try {
      for (;;) {
        const hop = await request(url, method, params, signal, first);
        hops.push(hop);
        if (!params.followRedirects || !REDIRECTS.has(hop.status) || !hop.location) break;
        if (hops.length > params.maxRedirects) {
          return {
            status: 'down',
            latencyMs: elapsedSince(start),
            message: `too many redirects (more than ${params.maxRedirects}), last to ${hop.location}`,
            details: { redirects: hops.map((h) => `${h.status} ${h.url.href}`) },
          };
        }
        url = new URL(hop.location, url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          return {
            status: 'down',
            latencyMs: elapsedSince(start),
            message: `redirected to an address that is not a web page: ${url.href}`,
          };
        }
        if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === 'POST')) method = 'GET';
      }
      return judge(hops, params, elapsedSince(start));
    } catch (err) {
      const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
      if (err instanceof HttpProtocolError)
        return { status: 'down', latencyMs: null, message: `${err.message} from ${where(hostOf(url), port)}` };
      return { status: 'down', latencyMs: null, message: describeNetError(err, hostOf(url), port) };
    }
  },
});
