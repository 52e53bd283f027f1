// The dead-letter format and replay moved to @lukema/platform (the API replays too).
export {
  type DeadLetterInfo,
  DLQ_HEADER,
  deadLetterKey,
  deadLetterMessage,
  REPLAYED_KEEP_MS,
  type ReplayReport,
  readDeadLetterInfo,
  replayDeadLetters,
  replaySourceKey,
} from '@lukema/platform';
export * from './batch-mapper.js';
export * from './ingest-worker.js';
export * from './meter-reading-mapper.js';
export * from './wiring.js';
