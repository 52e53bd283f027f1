import { createLogger, createOpsServer, loadConfig } from '@lukema/platform';
import { createIngestService } from './wiring.js';

// The ingest worker as deployed: consume until SIGINT/SIGTERM, then leave the group cleanly.
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'ingest' });
// A consumer that crashed and cannot come back must not leave the process alive and idle:
// exit non-zero, so the supervisor (systemd, Kubernetes, npm start) restarts it.
const service = createIngestService(config, logger, {
  onFatal: () => {
    logger.flush();
    process.exit(1);
  },
});
const ops = createOpsServer({
  port: config.ops.ingestPort,
  host: config.ops.host,
  registry: service.metrics,
  checks: service.checks,
  logger,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal, stats: service.worker.stats }, 'stopping');
    void Promise.all([service.stop(), ops.stop()]).then(() => process.exit(0));
  });
}
await ops.start();
await service.worker.start();
logger.info(
  { topic: config.kafka.topics.readings, group: config.ingest.group },
  'ingest worker running',
);
