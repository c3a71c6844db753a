import { afterEach, beforeEach, expect, it } from 'vitest';
import { OWNER, setupOwner } from '../../test/agent.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

forEachDatabase('sign-in throttling per account and source', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    await setupOwner(hub);
  });
  afterEach(() => hub.close());

  const attempt = async (from: string, password: string, email = OWNER.email) => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      remoteAddress: from,
      payload: { email, password },
    });
    return { status: res.statusCode, retryAfter: Number(res.headers['retry-after'] ?? 0) };
  };
  const wrong = (from: string, email?: string) => attempt(from, 'wrong password!', email);
  const right = (from: string) => attempt(from, OWNER.password);

  it('an attacker elsewhere cannot lock the owner out: wrong guesses slow their own source only', async () => {
    for (let i = 0; i < 5; i++) expect((await wrong('203.0.113.9')).status).toBe(401);
    expect((await wrong('203.0.113.9')).status).toBe(429);
    expect((await right('203.0.113.9')).status).toBe(429); // that source must wait, even with the right password
    expect((await right('198.51.100.7')).status).toBe(200); // the technician at home signs in
  });

  it('delays grow: 1 minute after the fifth failure, then double for each further failure', async () => {
    for (let i = 0; i < 5; i++) await wrong('203.0.113.9');
    const first = await wrong('203.0.113.9');
    expect([first.status, first.retryAfter]).toEqual([429, 60]);
    hub.clock.advance(61_000);
    expect((await wrong('203.0.113.9')).status).toBe(401); // one more try once the delay is over
    const second = await wrong('203.0.113.9');
    expect([second.status, second.retryAfter]).toEqual([429, 120]);
    hub.clock.advance(121_000);
    expect((await right('203.0.113.9')).status).toBe(200); // and the right password works after the wait
  });

  it('one source guessing many accounts is stopped after 20 failures', async () => {
    for (let i = 0; i < 20; i++) expect((await wrong('203.0.113.9', `user${i}@example.com`)).status).toBe(401);
    expect((await wrong('203.0.113.9', 'another@example.com')).status).toBe(429);
    expect((await right('203.0.113.9')).status).toBe(429);
    expect((await right('198.51.100.7')).status).toBe(200);
  });

  it('guessing one account from many sources is slowed: once under attack, one failure locks a source out of it', async () => {
    for (let i = 0; i < 10; i++) expect((await wrong(`203.0.113.${i}`)).status).toBe(401);
    // The account is under attack: a source's first failure now earns it a delay on this account.
    expect((await wrong('192.0.2.1')).status).toBe(401);
    expect((await wrong('192.0.2.1')).status).toBe(429);
    expect((await wrong('203.0.113.0')).status).toBe(429);
    // A source with no failures on this account still signs in with the right password at once.
    expect((await right('198.51.100.7')).status).toBe(200);
  });

  it('50 parallel wrong guesses from one source: no more than 5 passwords are checked', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => wrong('203.0.113.9')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
  });

  it('50 parallel wrong guesses from 50 sources once under attack: each source gets at most one check', async () => {
    for (let i = 0; i < 10; i++) await wrong(`203.0.113.${i}`);
    const sources = Array.from({ length: 25 }, (_, i) => `192.0.2.${i + 1}`);
    const answers = await Promise.all([...sources, ...sources].map((from) => wrong(from)));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(25);
  });
});
