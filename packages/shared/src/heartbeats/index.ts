export * from './cron.js';
export * from './schedule.js';
export * from './state.js';
export * from './keywords.js';
