import { createRegistry } from '@lukema/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContract } from '../support/fixtures.js';
import { readAll } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const objection = (customerId: string, optOut: boolean) =>
  JSON.stringify({
    customerId,
    directMarketingOptOut: optOut,
    marketResearchOptOut: optOut,
    updatedAt: '2026-11-01T00:00:00Z',
  });

describe('a poison event does not stop the registry', () => {
  let stack: TestStack;
  let registry: ReturnType<typeof createRegistry>;

  beforeAll(async () => {
    stack = await createTestStack('registry-poison');
    registry = createRegistry(stack.config, stack.logger);
    await registry.start();
  });
  afterAll(async () => {
    await registry?.stop();
    await stack?.close();
  });

  it('dead-letters an objection not named by a customer number, and applies the events behind it', async () => {
    const { objections, contracts, contractsDeadLetter, erasures } = stack.config.kafka.topics;
    const contract = openContract('643007574000138589', '812345', '2026-11-01');
    // One partition, so the later events are queued behind the refused one.
    const producer = stack.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: objections,
      messages: [
        // A phone number where a customer number belongs: refused as it is read.
        { partition: 0, key: '0401234567', value: objection('0401234567', true) },
        { partition: 0, key: '812345', value: objection('812345', true) },
      ],
    });
    await producer.send({
      topic: erasures,
      messages: [{ partition: 0, key: 'x', value: '{"customerId":{"$gt":""}}' }],
    });
    await producer.send({
      topic: contracts,
      messages: [{ partition: 0, key: contract.contractId, value: JSON.stringify(contract) }],
    });
    await producer.disconnect();

    const applied = await waitFor(
      'the objection behind the refused one applied',
      async () => (await registry.store.objectionsOf(['812345'])).get('812345'),
      { timeoutMs: 30_000 },
    );
    expect(applied.directMarketing).toBe(true);
    await waitFor('the contract applied', async () =>
      (await registry.store.contractsOfCustomer('812345')).length === 1 ? true : undefined,
    );
    // Audit before action: the refused objection was not stored either.
    expect((await registry.store.objectionsOf(['0401234567'])).size).toBe(0);

    const dead = await readAll(stack, contractsDeadLetter, 2);
    const reasons = dead.map(
      (m) => `${m.headers['lukema-dlq-source-topic']}: ${m.headers['lukema-dlq-reason']}`,
    );
    expect(reasons.sort()).toEqual([
      `${erasures}: erasure request is invalid at: requestId, customerId, requestedAt`,
      `${objections}: objection event: a customer number has 6 to 9 digits, the first not 0 (an identity code goes in personalIdentityCode)`,
    ]);
    const audited = await registry.audit.records();
    expect(audited.filter((r) => r.action === 'optout.set').map((r) => r.subject)).toEqual([
      '812345',
    ]);
    console.log(`[registry-poison] dead-lettered: ${reasons.join(' | ')}; later events applied`);
  });
});
