export * from './events/index.js';
export * from './fingerprint.js';
export * from './interval-batch-codec.js';
export * from './meter-message-codec.js';
export * from './single-object-codec.js';
export * from './stored-reading-codec.js';
