import { createLogger, loadConfig } from '@lukema/platform';
import { createRegistry } from './wiring.js';

// The registry as deployed: follows the customer system's contracts until SIGINT/SIGTERM.
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'registry' });
// A consumer that crashed and cannot come back must not leave the process alive and idle.
const registry = createRegistry(config, logger, {
  onFatal: () => {
    logger.flush();
    process.exit(1);
  },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal, stats: registry.service.stats }, 'stopping');
    void registry.stop().then(() => process.exit(0));
  });
}
await registry.start();
