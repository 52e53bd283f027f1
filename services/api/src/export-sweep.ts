import type { Logger } from '@lukema/platform';

/** How often expired exports are removed: well inside the shortest sensible TTL (1 h). */
export const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Runs the expired-export sweep at once and then every `everyMs`, so an expired export is
 * gone from disk and Redis within that time, not only refused at download.
 */
export function startExportSweep(
  sweep: () => Promise<number>,
  logger: Logger,
  everyMs = SWEEP_EVERY_MS,
): { stop(): void } {
  let busy = false; // a slow sweep is not started twice
  const run = () => {
    if (busy) return;
    busy = true;
    sweep()
      .then((removed) => {
        if (removed > 0) logger.info({ removed }, 'expired exports removed');
      })
      .catch((err: unknown) => logger.warn({ err }, 'export sweep failed; retried next round'))
      .finally(() => {
        busy = false;
      });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
