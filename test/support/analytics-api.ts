import { createRightsApi } from '@lukema/api';
import type { Purpose } from '@lukema/core';
import { apiClient } from './api-client.js';
import type { TestStack } from './test-stack.js';

/** The rights API on a test stack, with an analyst token for the purposes given. */
export interface AnalyticsApi {
  readonly api: ReturnType<typeof createRightsApi>;
  readonly call: ReturnType<typeof apiClient>;
  readonly analyst: string;
}

/** Starts the rights API on the stack's config and creates an analyst token. */
export async function startAnalyticsApi(
  stack: TestStack,
  tokenName: string,
  purposes: Purpose[],
): Promise<AnalyticsApi> {
  const api = createRightsApi(stack.config, stack.logger);
  const address = await api.start(0);
  const call = apiClient(
    `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  );
  const analyst = await api.tokens.create(tokenName, 'analyst', purposes);
  return { api, call, analyst };
}

/** Stops the API, removes the test's own rollups bucket and closes the stack. */
export async function closeAnalyticsApi(
  analytics: AnalyticsApi | undefined,
  stack: TestStack | undefined,
): Promise<void> {
  await analytics?.api.stop();
  await stack?.influx.deleteBucket(stack.config.influx.buckets.rollups).catch(() => undefined);
  await stack?.close();
}
