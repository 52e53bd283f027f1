export {
  type DeadLetterInfo,
  DLQ_HEADER,
  deadLetterKey,
  deadLetterMessage,
  readDeadLetterInfo,
} from './dead-letter.js';
export { type CensusTopic, type DeadLetterCensus, deadLetterCensus } from './dead-letter-census.js';
export {
  type DeadLetterReplayDeps,
  type DeadLetterReplayOptions,
  REPLAYED_KEEP_MS,
  type ReplayReport,
  replayDeadLetters,
  replaySourceKey,
} from './dead-letter-replay.js';
export { type DeadLetterKindCount, DeadLetterTally } from './dead-letter-tally.js';
export {
  type ReplayFilter,
  readingsReplay,
  replayedLedger,
  replayGroup,
} from './readings-replay.js';
export { ReplayBusyError } from './replay-busy-error.js';
