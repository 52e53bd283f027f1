import type { Logger } from '@lukema/platform';
import type { RollupRunner } from './rollup-runner.js';

/**
 * Runs the rollups continuously: drains the ledger, then waits `intervalMs` (or less when a
 * run found work). A failure (an engine down) is logged and retried on the next tick; the
 * marks stay, so nothing is lost.
 */
export function startRollupLoop(runner: RollupRunner, intervalMs: number, logger: Logger) {
  const log = logger.child({ component: 'rollup-loop' });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = runner
      .drain()
      .then((r) => {
        if (r.hours > 0) log.info(r, 'rollups updated');
      })
      .catch((error: unknown) => {
        log.warn(
          { err: { type: (error as Error).name, message: (error as Error).message } },
          'rollup run failed; retrying',
        );
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
