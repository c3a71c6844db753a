import { describe, expect, it } from 'vitest';
import { describeAction, runAction, withoutSecrets } from '../registry.js';

describe('manual action and the registry', () => {
  it('asks a person and says so in the dry-run', async () => {
    const spec = { kind: 'manual' as const, settings: { instructions: 'switch off the fax server' } };
    expect(await runAction(spec, 'shutdown', 1000)).toEqual({
      ok: true,
      message: 'waiting for a person to shut it down and confirm (switch off the fax server)',
    });
    expect(describeAction(spec, 'startup')).toBe('a person starts it: switch off the fax server and confirms');
  });

  it('strips secrets before anything is shown', () => {
    const shown = withoutSecrets({
      kind: 'ssh',
      settings: { host: 'erp', username: 'root', password: 'hunter22', privateKey: '' },
    });
    expect(shown).toEqual({ kind: 'ssh', settings: { host: 'erp', username: 'root' }, secretsSet: ['password'] });
    expect(JSON.stringify(shown)).not.toContain('hunter22');
  });
});
