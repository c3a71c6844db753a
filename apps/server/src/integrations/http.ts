import { ChannelError } from './channel.js';

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * One HTTP request to a channel's service, with a timeout. 2xx answers; 408, 429 and 5xx, timeouts and
 * network errors are temporary (ChannelError retryable); any other status means the settings are wrong.
 * The URL is never put in an error (webhook URLs hold their secret in the path).
 */
export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; timeoutMs: number },
  service: string,
): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'POST',
      headers: init.headers ?? {},
      // A copy backed by a plain ArrayBuffer: what fetch's BodyInit takes under the DOM's types too (e2e/tsconfig.json).
      body: typeof init.body === 'string' ? init.body : init.body ? new Uint8Array(init.body) : null,
      signal: AbortSignal.timeout(init.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new ChannelError(
      timedOut
        ? `${service} did not answer within ${init.timeoutMs} ms`
        : `${service} could not be reached: ${causeOf(error)}`,
      true,
    );
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { status: response.status, text };
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new ChannelError(
    `${service} answered HTTP ${response.status}${detail(text)}`,
    retryable,
    'method',
    response.status,
  );
}

export function postJson(url: string, body: unknown, timeoutMs: number, service: string, headers = {}) {
  return request(
    url,
    { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), timeoutMs },
    service,
  );
}

export function postForm(url: string, form: Record<string, string>, timeoutMs: number, service: string, headers = {}) {
  return request(
    url,
    {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      timeoutMs,
    },
    service,
  );
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function detail(text: string): string {
  const short = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return short ? `: ${short}` : '';
}

/** The host of a URL, to show where a webhook goes without its secret path. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}
