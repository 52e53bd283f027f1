export * from './errors/engine-unavailable-error.js';
export * from './errors/lukema-error.js';
export * from './errors/poison-message-error.js';
export * from './gsrn.js';
export * from './line-protocol.js';
export * from './reading.js';
