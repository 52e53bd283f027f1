import { createOpsServer } from '@lukema/platform';
import type { startPipeline } from './pipeline.js';
import type { TestStack } from './test-stack.js';

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;

/**
 * The /metrics, /livez and /readyz servers of a test pipeline's ingest worker and registry,
 * each on a free port once started (not started here).
 */
export function pipelineOpsServers(stack: TestStack, pipeline: Pipeline) {
  const serve = (service: Pipeline['ingest'] | Pipeline['registry']) =>
    createOpsServer({
      port: 0,
      registry: service.metrics,
      checks: service.checks,
      logger: stack.logger,
    });
  return { ingestOps: serve(pipeline.ingest), registryOps: serve(pipeline.registry) };
}
