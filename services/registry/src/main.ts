import { createLogger, createOpsServer, loadConfig } from '@lukema/platform';
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
const ops = createOpsServer({
  port: config.ops.registryPort,
  host: config.ops.host,
  registry: registry.metrics,
  checks: registry.checks,
  logger,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal, stats: registry.service.stats }, 'stopping');
    void Promise.all([registry.stop(), ops.stop()]).then(() => process.exit(0));
  });
}
await ops.start();
await registry.start();
