import { parseArgs } from 'node:util';
import { createLogger, loadConfig } from '@lukema/platform';
import { RollupBusyError } from './run-lease.js';
import { createRollupService } from './wiring.js';

const USAGE = `usage: npm run rollup -- backfill --from ISO --to ISO   (re-aggregate a range now; exits 3
                                                          while another rollup run writes)
       npm run rollup -- status                           (hours waiting for the rollups)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string' }, to: { type: 'string' } },
});
const config = loadConfig(process.env);
const service = createRollupService(
  config,
  createLogger({ level: config.logLevel, name: 'rollup-cli' }),
);
try {
  if (positionals[0] === 'backfill') {
    const fromMs = Date.parse(values.from ?? '');
    const toMs = Date.parse(values.to ?? '');
    if (Number.isNaN(fromMs) || Number.isNaN(toMs) || toMs <= fromMs) {
      console.error(`give --from and --to as ISO instants, to after from\n${USAGE}`);
      process.exitCode = 2;
    } else {
      const r = await service.runner.backfill(fromMs, toMs).catch((error: unknown) => {
        if (!(error instanceof RollupBusyError)) throw error;
        console.error(`backfill: nothing done: ${error.message}`);
        process.exitCode = 3;
        return undefined;
      });
      if (r) {
        console.log(
          `backfill: rolled up ${r.hours} hours (${r.hourlyPoints} hourly points) and ${r.days} days (${r.dailyPoints} daily points)`,
        );
      }
    }
  } else if (positionals[0] === 'status') {
    console.log(`hours waiting: ${await service.ledger.size()}`);
    const holder = await service.lease.holder();
    console.log(holder ? `rollup run in progress: ${holder}` : 'no rollup run in progress');
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} finally {
  await service.stop();
}
