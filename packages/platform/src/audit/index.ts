export * from './chains.js';
export * from './kafka-audit-log.js';
export * from './ports.js';
