export { startRollupLoop } from './rollup-loop.js';
export {
  createRollupRunner,
  hourRuns,
  type RollupRunner,
  type RunResult,
} from './rollup-runner.js';
export { RollupBusyError, RollupLeaseLostError } from './run-lease.js';
export { createRollupService } from './wiring.js';
