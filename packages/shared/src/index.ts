export * from './common.js';
export * from './roles.js';
export * from './api/auth.js';
export * from './api/accounts.js';
export * from './api/register.js';
export * from './api/events.js';
export * from './agent-protocol.js';
export * from './monitoring/index.js';
