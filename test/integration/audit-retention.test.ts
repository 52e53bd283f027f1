import { auditRetentionMs } from '@lukema/platform';
import { provision } from '@lukema/provision/provision';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';

const DAY = 86_400_000;

/** The audit chains are kept as long as the privacy policy says, not forever. */
describe('audit retention follows the privacy policy', () => {
  let stack: TestStack;
  const chains = ['api', 'registry', 'admin'];
  const topicOf = (chain: string) => `${stack.config.kafka.topics.audit}.${chain}`;
  const retentionOf = async (chain: string) =>
    (await stack.admin.topicConfig(topicOf(chain), ['retention.ms']))['retention.ms'];

  beforeAll(async () => {
    stack = await createTestStack('audit-retention');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('creates the audit topics with the policy period and aligns an existing one', async () => {
    const policyMs = auditRetentionMs();
    expect(policyMs).toBe(2192 * DAY); // "6 years from the entry" in the policy file
    for (const chain of chains) expect(await retentionOf(chain)).toBe(String(policyMs));

    // A topic provisioned before (kept forever) is altered by the next provisioning run.
    await stack.admin.alignTopicConfigs([
      { topic: topicOf('api'), partitions: 1, config: { 'retention.ms': '-1' } },
    ]);
    expect(await retentionOf('api')).toBe('-1');
    await provision({
      config: stack.config,
      topics: stack.admin,
      influx: stack.influx,
      logger: stack.logger,
    });
    expect(await retentionOf('api')).toBe(String(policyMs));
    console.log(
      `[audit-retention] audit chains kept ${policyMs / DAY} days (retention.ms=${policyMs}); an existing topic at -1 was aligned`,
    );
  });
});
