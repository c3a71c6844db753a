// A small fetch wrapper: JSON in and out, the CSRF header on writes, errors as ApiError.
import { takeEarly } from './early';

export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';
let onSignedOut: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the hub says the session is gone (expired, signed out elsewhere). */
export function onSessionLost(handler: (() => void) | null): void {
  onSignedOut = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  init?: { signal?: AbortSignal },
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A Blob (a photo from the camera) goes as itself, with its own type; anything else as JSON.
  const binary = typeof Blob !== 'undefined' && body instanceof Blob;
  if (body !== undefined) headers['content-type'] = binary ? body.type : 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response =
      (method === 'GET' ? await takeEarly(path) : null) ??
      (await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? null : binary ? body : JSON.stringify(body),
        signal: init?.signal ?? null,
      }));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Cannot reach the hub. Check the connection and try again.');
  }
  const text = await response.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const err = (data as { error?: { code?: string; message?: string; fields?: FieldErrors } } | undefined)?.error;
    const apiError = new ApiError(
      response.status,
      err?.code ?? `http_${response.status}`,
      err?.message ?? `The hub answered ${response.status} ${response.statusText}`.trim(),
      err?.fields ?? {},
    );
    if (response.status === 401 && apiError.code === 'unauthenticated' && !path.startsWith('/api/auth/session'))
      onSignedOut?.();
    throw apiError;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, init?: { signal?: AbortSignal }) => request<T>('GET', path, undefined, init),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** Builds a query string, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}
