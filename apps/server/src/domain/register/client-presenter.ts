import type { Client, Contract } from '@afterhours/shared';
import type { ClientsTable } from '../../db/schema.js';

export function parseContract(json: string): Contract {
  return JSON.parse(json) as Contract;
}

export function presentClient(row: ClientsTable, counts: { sites: number; systems: number }): Client {
  return {
    id: row.id,
    name: row.name,
    notes: row.notes,
    contract: parseContract(row.contract_json),
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    siteCount: counts.sites,
    systemCount: counts.systems,
  };
}

/** What the audit log keeps of a client. */
export function auditableClient(row: ClientsTable) {
  return { name: row.name, notes: row.notes, contract: parseContract(row.contract_json), archivedAt: row.archived_at };
}
