import type { Role } from '@afterhours/shared';
import type { TestHub } from './harness.js';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/**
 * Makes requests the way a signed-in browser does (session cookie + CSRF header) or the way a
 * script does (Bearer token), through Fastify's inject: no sockets, but every hook and schema runs.
 */
export class TestAgent {
  constructor(
    readonly hub: TestHub,
    private readonly auth: { cookie?: string; csrf?: string; bearer?: string } = {},
  ) {}

  get<T = any>(url: string) {
    return this.send<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown) {
    return this.send<T>('POST', url, body);
  }
  patch<T = any>(url: string, body?: unknown) {
    return this.send<T>('PATCH', url, body);
  }
  put<T = any>(url: string, body?: unknown) {
    return this.send<T>('PUT', url, body);
  }
  delete<T = any>(url: string) {
    return this.send<T>('DELETE', url);
  }

  async send<T = any>(
    method: string,
    url: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.auth.cookie) headers.cookie = this.auth.cookie;
    if (this.auth.csrf) headers['x-csrf-token'] = this.auth.csrf;
    if (this.auth.bearer) headers.authorization = `Bearer ${this.auth.bearer}`;
    const response = await this.hub.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    let parsed: unknown = response.body;
    if (String(response.headers['content-type'] ?? '').includes('application/json')) parsed = response.json();
    return { status: response.statusCode, body: parsed as T, headers: response.headers };
  }
}

export const anonymous = (hub: TestHub) => new TestAgent(hub);

function sessionFrom(setCookie: unknown): string {
  const header = Array.isArray(setCookie) ? setCookie[0] : String(setCookie ?? '');
  const cookie = String(header).split(';')[0];
  if (!cookie) throw new Error('no session cookie was set');
  return cookie;
}

export const OWNER = { name: 'Olive Owner', email: 'owner@example.com', password: 'correct horse battery' };

/** Run first-run setup and return the owner's signed-in agent. */
export async function setupOwner(hub: TestHub): Promise<TestAgent> {
  const res = await hub.app.inject({ method: 'POST', url: '/api/setup', payload: OWNER });
  if (res.statusCode !== 200) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return new TestAgent(hub, { cookie: sessionFrom(res.headers['set-cookie']), csrf: res.json().csrfToken });
}

export async function signIn(hub: TestHub, email: string, password: string, totpCode?: string): Promise<TestAgent> {
  const res = await hub.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email, password, ...(totpCode ? { totpCode } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return new TestAgent(hub, { cookie: sessionFrom(res.headers['set-cookie']), csrf: res.json().csrfToken });
}

export const bearer = (hub: TestHub, token: string) => new TestAgent(hub, { bearer: token });

let userCounter = 0;
/** Create a user through the API as `by` and sign them in. */
export async function userWithRole(by: TestAgent, role: Role, clientId: string | null = null): Promise<TestAgent> {
  userCounter += 1;
  const email = `${role}${userCounter}@example.com`;
  const password = 'a long enough password';
  const res = await by.post('/api/users', { email, name: `${role} ${userCounter}`, role, clientId, password });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`creating user failed: ${res.status} ${JSON.stringify(res.body)}`);
  return signIn(by.hub, email, password);
}
