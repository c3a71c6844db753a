// The hub's result path as the storage and ingest benches drive it: ingestResults with the part of a hub's
// context it uses (database, clock, event bus, a quiet log), called as the probe's result writer calls it.

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * `write(batch)` stores a batch of hub results (time order) in one ingestResults call, the clock at the
 * batch's last result + 50 ms, and answers its outcome. `server` holds the build's `ingestResults` and
 * `EventBus` (benches may load another checkout's build).
 */
export function resultWriter(db, server) {
  let now = 0;
  const ctx = {
    db,
    clock: { now: () => new Date(now) },
    bus: new server.EventBus(),
    log: quiet,
    settings: { monitoring: { resultRetentionDays: 7 } }, // ingest writes a late result's per-minute row within it
  };
  return (batch) => {
    now = Date.parse(batch.at(-1).at) + 50;
    return server.ingestResults(ctx, { type: 'hub' }, batch);
  };
}
