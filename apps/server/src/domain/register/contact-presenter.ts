import type { Contact } from '@afterhours/shared';
import type { ContactsTable } from '../../db/schema.js';

export function presentContact(row: ContactsTable): Contact {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    role: row.role,
    email: row.email,
    phone: row.phone,
    preferredChannel: row.preferred_channel as Contact['preferredChannel'],
    receivesIncidentUpdates: row.receives_incident_updates === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the audit log keeps of a contact. */
export function auditableContact(row: ContactsTable) {
  const { id: _id, created_at: _c, updated_at: _u, ...rest } = row;
  return rest;
}
