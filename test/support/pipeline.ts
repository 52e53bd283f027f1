import { createIngestService, type IngestOverrides } from '@lukema/ingest';
import { createRegistry } from '@lukema/registry';
import type { TestStack } from './test-stack.js';

/** Starts the registry and one ingest worker on a test stack, as `npm start` would. */
export async function startPipeline(stack: TestStack, overrides: IngestOverrides = {}) {
  const registry = createRegistry(stack.config, stack.logger);
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
