import { createIngestService, type IngestOverrides } from '@lukema/ingest';
import { createRegistry } from '@lukema/registry';

type RegistryOptions = Parameters<typeof createRegistry>[2];

import type { TestStack } from './test-stack.js';

/** Starts the registry and one ingest worker on a test stack, as `npm start` would. */
export async function startPipeline(
  stack: TestStack,
  overrides: IngestOverrides = {},
  registryOptions: RegistryOptions = {},
) {
  const registry = createRegistry(stack.config, stack.logger, registryOptions);
  const ingest = createIngestService(stack.config, stack.logger, overrides);
  await registry.start();
  void ingest.worker.start();
  return {
    registry,
    ingest,
    async stop() {
      await Promise.all([ingest.stop(), registry.stop()]);
    },
  };
}
