import type { AppContext } from '../../context.js';
import { encryptSecrets, MASK, maskSecrets, runnableParams, splitSecrets } from './secret-params.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Older hubs stored some secrets of checks in clear (http URLs with passwords, secret headers,
 * request bodies) in `params_json` and in the audit log. At start, before serving, each such check
 * is sealed in place (its secrets moved to `secrets_enc`) and each audit entry of a check has them
 * masked. Idempotent: a second run finds nothing. Needs the secret key, so it is not a migration.
 */
export async function sealClearSecrets(ctx: AppContext): Promise<{ checks: number; auditEntries: number }> {
  let checks = 0;
  let auditEntries = 0;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('checks').select(['id', 'params_json', 'secrets_enc']).execute();
    for (const row of rows) {
      let full: Json;
      try {
        full = runnableParams(ctx.secrets, row);
      } catch {
        continue; // secrets under another key: left as they are (the probe reports it)
      }
      const { plain, secrets } = splitSecrets(full);
      const params_json = JSON.stringify(plain);
      if (params_json === row.params_json) continue;
      await trx
        .updateTable('checks')
        .set({ params_json, secrets_enc: encryptSecrets(ctx.secrets, secrets) })
        .where('id', '=', row.id)
        .execute();
      checks += 1;
    }
    const entries = await trx
      .selectFrom('audit_events')
      .select(['id', 'before_json', 'after_json'])
      .where('entity_type', '=', 'check')
      .execute();
    for (const entry of entries) {
      const before = maskedAuditJson(entry.before_json);
      const after = maskedAuditJson(entry.after_json);
      if (before === entry.before_json && after === entry.after_json) continue;
      await trx
        .updateTable('audit_events')
        .set({ before_json: before, after_json: after })
        .where('id', '=', entry.id)
        .execute();
      auditEntries += 1;
    }
  });
  return { checks, auditEntries };
}

function maskedAuditJson(text: string | null): string | null {
  if (!text) return text;
  const value = JSON.parse(text) as unknown;
  if (!isObject(value) || !isObject(value.params)) return text;
  const { plain, secrets } = splitSecrets(value.params);
  if (Object.values(secrets).every((v) => v === MASK)) return text; // none, or masked already
  return JSON.stringify({ ...value, params: maskSecrets(plain, secrets) });
}
