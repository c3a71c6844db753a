import { afterEach, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../test/harness.js';

let hub: TestHub | undefined;
afterEach(() => hub?.close());

const directives = (header: unknown) =>
  new Map(
    String(header)
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name ?? '', values.join(' ')] as const;
      }),
  );

it('sends a strict Content-Security-Policy and the other security headers on every answer', async () => {
  hub = await createTestHub('sqlite');
  for (const url of ['/', '/api/auth/session', '/api/openapi.json', '/healthz', '/ping/not-a-uuid', '/nope']) {
    const res = await hub.app.inject({ url });
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('default-src'), url).toBe("'self'");
    expect(csp.get('script-src'), url).toBe("'self'");
    expect(csp.get('frame-ancestors'), url).toBe("'none'");
    expect(csp.get('object-src'), url).toBe("'none'");
    expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    expect(res.headers['referrer-policy'], url).toBe('same-origin');
    expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
    expect(String(res.headers['permissions-policy']), url).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
    expect(res.headers['strict-transport-security'], url).toBeUndefined(); // plain HTTP unless told otherwise
  }
});

it('sends HSTS only when AFTERHOURS_SECURE_COOKIES=true', async () => {
  hub = await createTestHub('sqlite', { secureCookies: true });
  const res = await hub.app.inject({ url: '/api/auth/session' });
  expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
});

it('gives the API docs a policy of their own that lets Swagger UI run, still not framable', async () => {
  hub = await createTestHub('sqlite');
  const page = await hub.app.inject({ url: '/api/docs' });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('swagger-initializer.js');
  const csp = directives(page.headers['content-security-policy']);
  expect(csp.get('script-src')).toMatch(/^'self'/);
  expect(csp.get('img-src')).toContain('data:'); // Swagger UI's own icons
  expect(csp.get('frame-ancestors')).toBe("'none'");
  expect(csp.has('upgrade-insecure-requests')).toBe(false);
  expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'"); // Swagger UI styles as it renders; scripts stay strict
  const init = await hub.app.inject({ url: '/api/docs/static/swagger-initializer.js' });
  expect(init.statusCode).toBe(200);
});
