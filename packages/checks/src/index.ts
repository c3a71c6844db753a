export { checkKinds, defineCheck } from './types.js';
export type { CheckContext, CheckDefinition, CheckKind, CheckResult, CheckStatus } from './types.js';
export { checks, runCheck, prepareCheck, parseCheckParams, InvalidCheckParamsError } from './registry.js';
export type { CheckParams, CheckParamsInput, PreparedCheck, RunCheckOptions } from './registry.js';
export { describeNetError, where } from './lib/net.js';
export { LineReader, send as sendLine } from './lib/lines.js';
export { openSnmpSession, readValue as readSnmpValue, snmpAuth } from './snmp/index.js';
export type { SnmpAuth } from './snmp/index.js';
export { SecretBox } from './secret-box.js';
