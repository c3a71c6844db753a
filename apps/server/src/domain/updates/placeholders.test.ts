import { expect, it } from 'vitest';
import { assertKnownPlaceholders, fillPlaceholders } from './placeholders.js';

it('fills the placeholders it has values for and leaves the others as written', () => {
  expect(fillPlaceholders('{client} at {site}: {incident} ({nope})', { client: 'Harbour Dental', site: 'Main' })).toBe(
    'Harbour Dental at Main: {incident} ({nope})',
  );
});

it('refuses a placeholder its kind does not know, naming the field and the ones that exist', () => {
  expect(() => assertKnownPlaceholders('incident_update', { subject: 'Hi {client}', body: 'At {clinet}' })).toThrow(
    /body has an unknown placeholder \{clinet\}; use \{client\}, \{site\}/,
  );
  expect(() => assertKnownPlaceholders('incident_update', { body: '{checklist}' })).toThrow(/unknown placeholder/);
  expect(() => assertKnownPlaceholders('checklist_report', { body: '{checklist}: {result}' })).not.toThrow();
  expect(() => assertKnownPlaceholders('incident_update', { body: 'a {b c} {} {X}' })).not.toThrow();
});
