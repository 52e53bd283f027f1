import type { ContractEvent } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { createRegistry } from '@lukema/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const contract = (n: number): ContractEvent => ({
  contractId: `R-${n}`,
  customerId: `55000${n}`,
  siteId: `S-${n}`,
  postalCode: '90100',
  meteringPointIds: [simulatedGsrn(9000 + n)],
  startDate: '2026-01-01',
  endDate: null,
  status: 'active',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('registry and key material survive the loss of Redis', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('registry');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('rebuilds contracts and pseudonyms from Kafka alone', async () => {
    const contracts = [1, 2, 3].map(contract);
    await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages(contracts));
    let registry = createRegistry(stack.config, stack.logger);
    await registry.start();
    await stack.contractsApplied();
    const before = await registry.store.periodsFor(
      contracts.map((c) => c.meteringPointIds[0] as string),
    );
    await registry.stop();

    // Redis loses everything Lukema kept there.
    const keys = await stack.redis.keys(`${stack.config.registry.redisPrefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await stack.redis.del(...keys);

    registry = createRegistry(stack.config, stack.logger);
    await registry.start();
    try {
      await waitFor('the registry rebuilt', async () => {
        const after = await registry.store.periodsFor(
          contracts.map((c) => c.meteringPointIds[0] as string),
        );
        return [...after.values()].every((p) => p.length === 1) ? after : undefined;
      });
      const after = await registry.store.periodsFor(
        contracts.map((c) => c.meteringPointIds[0] as string),
      );
      expect(after).toEqual(before); // same contracts, same pseudonyms
      expect([...before.values()].flat().map((p) => p.pseudonym)).toHaveLength(3);
      expect(registry.keys.has('550001')).toBe(true);
    } finally {
      await registry.stop();
    }
  });
});
