import { createLogger, loadConfig } from '@lukema/platform';
import { createRollupService } from './wiring.js';

// The rollups as deployed: follow the dirty-hours ledger until SIGINT/SIGTERM.
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'rollup' });
const service = createRollupService(config, logger);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void service.stop().then(() => process.exit(0)));
}
service.start();
