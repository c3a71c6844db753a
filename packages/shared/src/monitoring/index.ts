export * from './state-machine.js';
export * from './dependencies.js';
