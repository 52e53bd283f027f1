export * from './batch-mapper.js';
export * from './dead-letter.js';
export * from './ingest-worker.js';
export * from './interval-mapper.js';
export * from './wiring.js';
