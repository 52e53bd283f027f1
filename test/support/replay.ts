import { readingsReplay } from '@lukema/platform';
import type { TestStack } from './test-stack.js';

/** Runs the dead-letter replay on a test stack as `npm run replay-dead-letters` does. */
export async function replayOn(stack: TestStack, reasonContains?: string) {
  return readingsReplay(stack.config, stack)(reasonContains ? { reasonContains } : {});
}
