export { checkKinds, defineCheck } from './types.js';
export type { CheckContext, CheckDefinition, CheckKind, CheckResult, CheckStatus } from './types.js';
export { checks, runCheck, prepareCheck, parseCheckParams, InvalidCheckParamsError } from './registry.js';
export type { CheckParams, CheckParamsInput, PreparedCheck, RunCheckOptions } from './registry.js';
