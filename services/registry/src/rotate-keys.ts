import { createLogger, loadConfig } from '@lukema/platform';
import { createRegistry } from './wiring.js';

// `npm run rotate-keys -w @lukema/registry`: after a new master-key version was added to the
// keyring and made current, re-wraps every customer's key material under it. Pseudonyms do
// not change (the customer keys themselves stay the same); the old version can be retired
// once this has run. Run it while the registry service is stopped (a single key writer).
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'rotate-keys' });
const registry = createRegistry(config, logger);
const loaded = await registry.keys.load();
const rewrapped = await registry.keys.rewrapAll();
console.log(`${rewrapped} of ${loaded} customer keys re-wrapped under the current master key`);
await registry.stop();
