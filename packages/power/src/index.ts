export * from './reading.js';
export { NutClient, NutError, NutConnectionError, type NutClientOptions } from './nut/client.js';
export { NutReader } from './nut/reader.js';
export { readingFromNutVars } from './nut/status.js';
export * from './plan/types.js';
export { startRun, step, stagesFor, type Transition } from './plan/machine.js';
export {
  initialWatch,
  watchReading,
  shutdownReason,
  worstReading,
  formatMinutes,
  type PowerWatch,
  type OutageWindow,
} from './plan/triggers.js';
export { defaultStages, type OrderedSystem } from './plan/order.js';
export { dryRun, type DryRun, type DryRunSystem } from './plan/dry-run.js';
export * from './actions/types.js';
export {
  powerActions,
  parseAction,
  describeAction,
  runAction,
  readPowerState,
  withoutSecrets,
  secretFields,
  type ActionSpec,
} from './actions/registry.js';
export { magicPacket } from './actions/wol/index.js';
export { SnmpUpsReader, snmpUpsSettings, readingFromUpsMib, readingFromPowerNet } from './ups-snmp/index.js';
export { nutUpsSettings, upsSettingsProblem } from './ups-settings.js';
export { probeHostKey } from './actions/ssh/index.js';
