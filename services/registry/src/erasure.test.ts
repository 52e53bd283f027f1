import type { RegistryWriter, StoredContract } from '@lukema/platform';
import { describe, expect, it } from 'vitest';
import { createEraser, type ErasureDeps } from './erasure.js';

const contract: StoredContract = {
  contractId: 'K-1',
  customerId: '100001',
  siteId: 'S-1',
  postalCode: '00100',
  meteringPointIds: ['643007574000138589'],
  startDate: '2026-01-01',
  endDate: null,
  status: 'active',
  updatedAt: '2026-01-01T00:00:00Z',
  startMs: Date.UTC(2025, 11, 31, 22),
  endMs: null,
  pseudonyms: { '643007574000138589': 'a'.repeat(32) },
  area: '001xx',
};

/**
 * The erasure's steps against in-memory stand-ins: series points by pseudonym, and a
 * worker whose batch, mapped while the registry still knew the customer, writes after the
 * series were deleted and before the registry forgets them.
 */
function world() {
  const points = new Map<string, number>();
  let known = true;
  const store = {
    contractsOfCustomer: async () => (known ? [contract] : []),
    periodsFor: async () => new Map(),
    forgetCustomer: async () => {
      // The in-flight batch lands now: its readings were attached before this step.
      points.set(contract.pseudonyms['643007574000138589'] as string, 96);
      known = false;
    },
  } as unknown as RegistryWriter;
  const nothing = async () => undefined;
  const deps: ErasureDeps = {
    store,
    keys: { destroy: nothing },
    influx: {
      deleteSeries: async (_bucket: string, pseudonym: string) => {
        points.delete(pseudonym);
      },
    },
    bucket: 'b',
    parking: {
      peek: async () => [],
      forgetSourcesIfEmpty: nothing,
    } as unknown as ErasureDeps['parking'],
    codec: { decode: () => ({}) as never, encode: () => Buffer.alloc(0) },
    windows: [],
    pointState: [],
    exports: { purgeCustomer: async () => 0 },
    customerState: [],
    producer: { send: nothing, close: nothing },
    contractsTopic: 'contracts',
    objectionsTopic: 'objections',
    recordErasure: nothing,
    logger: { child: () => ({ info: () => undefined }) } as unknown as ErasureDeps['logger'],
  };
  return { deps, points };
}

describe('erasure', () => {
  it('deletes the series again after the registry forgot the customer', async () => {
    const { deps, points } = world();
    points.set('a'.repeat(32), 24);
    await createEraser(deps)('100001', 'req-1');
    // Written between the first delete and the registry forgetting: gone all the same.
    expect([...points.keys()]).toEqual([]);
  });
});
