import { expect, it } from 'vitest';
import type { ContactsTable } from '../../db/schema.js';
import { internationalNumber, planRecipient, withoutRepeats } from './recipients.js';

const contact = (over: Partial<ContactsTable>): ContactsTable => ({
  id: '00000000-0000-4000-8000-000000000001',
  client_id: '00000000-0000-4000-8000-000000000002',
  name: 'Anna',
  role: '',
  email: 'anna@client.example',
  phone: '+44 7700 900123',
  preferred_channel: 'email',
  receives_incident_updates: 1,
  created_at: '2026-12-01T00:00:00.000Z',
  updated_at: '2026-12-01T00:00:00.000Z',
  ...over,
});

it.each([
  ['email', 'anna@client.example', '+44 7700 900123', 'email', 'anna@client.example'],
  ['sms', 'anna@client.example', '+44 (7700) 900-123', 'sms', '+447700900123'],
  ['phone', null, '+44 7700 900123', 'sms', '+447700900123'],
  ['sms', 'anna@client.example', '07700 900123', 'email', 'anna@client.example'],
  ['none', 'anna@client.example', null, 'email', 'anna@client.example'],
])('prefers %s (email %s, phone %s) → %s to %s', (preferred, email, phone, channel, to) => {
  const planned = planRecipient(contact({ preferred_channel: preferred, email, phone }));
  expect(planned).toMatchObject({ channel, to, skipped: null });
});

it('skips a contact with no usable address and says why', () => {
  expect(planRecipient(contact({ preferred_channel: 'sms', email: null, phone: '07700 900123' }))).toMatchObject({
    channel: null,
    skipped: expect.stringMatching(/not in international form/),
  });
  expect(planRecipient(contact({ email: null, phone: null })).skipped).toBe('no e-mail address or phone number');
});

it('sends one message to an address two contacts share', () => {
  const a = planRecipient(contact({}));
  const b = planRecipient(contact({ id: '00000000-0000-4000-8000-000000000003', email: 'ANNA@client.example' }));
  const [first, second] = withoutRepeats([a, b]);
  expect(first?.channel).toBe('email');
  expect(second).toMatchObject({ channel: null, skipped: expect.stringMatching(/shares/) });
});

it('reads international numbers only', () => {
  expect(internationalNumber('+1 (212) 555-0100')).toBe('+12125550100');
  expect(internationalNumber('0207 946 0000')).toBeNull();
  expect(internationalNumber(null)).toBeNull();
});
