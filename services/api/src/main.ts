import { createLogger, loadConfig } from '@lukema/platform';
import { createRightsApi } from './wiring.js';

// The rights API and its export worker, until SIGINT/SIGTERM.
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'api' });
const api = createRightsApi(config, logger);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void api.stop().then(() => process.exit(0)));
}
const address = await api.start();
logger.info({ address }, 'rights API listening');
