export * from './batch-mapper.js';
export * from './dead-letter.js';
export * from './dead-letter-replay.js';
export * from './ingest-worker.js';
export * from './meter-reading-mapper.js';
export * from './wiring.js';
