export * from './state.js';
export * from './rules.js';
