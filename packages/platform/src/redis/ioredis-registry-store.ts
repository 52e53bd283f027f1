import type { ContractPeriod } from '@lukema/core';
import type { Redis } from 'ioredis';
import { execAll, redisCall } from './ioredis-client.js';
import type {
  Objections,
  PseudonymOwner,
  RegistryWriter,
  SeriesOwnership,
  StoredContract,
} from './ports.js';

type Compact = { c: string; s: number; e: number | null; p: string; a: string };

const toPeriod = (x: Compact): ContractPeriod => ({
  contractId: x.c,
  startMs: x.s,
  endMs: x.e,
  pseudonym: x.p,
  area: x.a,
});

/**
 * The contract registry in Redis: one hash of contracts, one hash of periods per metering
 * point (compact JSON, read in one HMGET per batch), one set of contracts per customer.
 */
export class IoredisRegistryStore implements RegistryWriter, SeriesOwnership {
  private readonly contracts: string;
  private readonly byPoint: string;
  private readonly built: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lukema:registry',
  ) {
    this.contracts = `${prefix}:contracts`;
    this.byPoint = `${prefix}:mp`;
    this.built = `${prefix}:built`;
  }

  private get pseudonymsKey() {
    return `${this.prefix}:pseudonym`;
  }

  private get identityKey() {
    return `${this.prefix}:identity`;
  }

  private get objectionsKey() {
    return `${this.prefix}:objections`;
  }

  private customerKey(customerId: string) {
    return `${this.prefix}:customer:${customerId}`;
  }

  async periodsFor(ids: readonly string[]): Promise<Map<string, ContractPeriod[]>> {
    const out = new Map<string, ContractPeriod[]>();
    if (ids.length === 0) return out;
    const values = await redisCall('registry read', () => this.redis.hmget(this.byPoint, ...ids));
    ids.forEach((id, i) => {
      const raw = values[i];
      out.set(id, raw ? (JSON.parse(raw) as Compact[]).map(toPeriod) : []);
    });
    return out;
  }

  async getContract(contractId: string): Promise<StoredContract | undefined> {
    const raw = await redisCall('registry contract', () =>
      this.redis.hget(this.contracts, contractId),
    );
    return raw ? (JSON.parse(raw) as StoredContract) : undefined;
  }

  async contractsOfCustomer(customerId: string): Promise<StoredContract[]> {
    const ids = await redisCall('registry customer', () =>
      this.redis.smembers(this.customerKey(customerId)),
    );
    if (ids.length === 0) return [];
    const raws = await redisCall('registry contracts', () =>
      this.redis.hmget(this.contracts, ...ids),
    );
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as StoredContract);
  }

  /**
   * Replaces a contract. Its periods are a read-modify-write of each point's entry, so
   * writes are serialised: two contracts of one point applied at once (kafkajs may run
   * batches of several partitions during a rebalance) must not lose one another.
   */
  putContract(contract: StoredContract, previous: StoredContract | undefined): Promise<void> {
    const run = this.writes.then(() => this.writeContract(contract, previous));
    this.writes = run.catch(() => undefined);
    return run;
  }

  private writes: Promise<unknown> = Promise.resolve();

  private async writeContract(
    contract: StoredContract,
    previous: StoredContract | undefined,
  ): Promise<void> {
    const points = new Set([...(previous?.meteringPointIds ?? []), ...contract.meteringPointIds]);
    const ids = [...points];
    const current = await this.periodsFor(ids);
    const tx = this.redis.multi();
    for (const id of ids) {
      const kept: Compact[] = (current.get(id) ?? [])
        .filter((p) => p.contractId !== contract.contractId)
        .map((p) => ({ c: p.contractId, s: p.startMs, e: p.endMs, p: p.pseudonym, a: p.area }));
      if (contract.status === 'active' && contract.meteringPointIds.includes(id)) {
        kept.push({
          c: contract.contractId,
          s: contract.startMs,
          e: contract.endMs,
          p: contract.pseudonyms[id] ?? '',
          a: contract.area,
        });
      }
      kept.sort((x, y) => x.s - y.s);
      if (kept.length > 0) tx.hset(this.byPoint, id, JSON.stringify(kept));
      else tx.hdel(this.byPoint, id);
    }
    for (const [meteringPointId, pseudonym] of Object.entries(previous?.pseudonyms ?? {})) {
      if (contract.pseudonyms[meteringPointId] !== pseudonym)
        tx.hdel(this.pseudonymsKey, pseudonym);
    }
    for (const [meteringPointId, pseudonym] of Object.entries(contract.pseudonyms)) {
      const owner: PseudonymOwner = {
        pseudonym,
        contractId: contract.contractId,
        customerId: contract.customerId,
        meteringPointId,
      };
      tx.hset(this.pseudonymsKey, pseudonym, JSON.stringify(owner));
    }
    tx.hset(this.contracts, contract.contractId, JSON.stringify(contract));
    if (previous && previous.customerId !== contract.customerId) {
      tx.srem(this.customerKey(previous.customerId), contract.contractId);
    }
    tx.sadd(this.customerKey(contract.customerId), contract.contractId);
    await execAll('registry write', tx);
  }

  async findPseudonym(pseudonym: string): Promise<PseudonymOwner | undefined> {
    const raw = await redisCall('registry pseudonym', () =>
      this.redis.hget(this.pseudonymsKey, pseudonym),
    );
    return raw ? (JSON.parse(raw) as PseudonymOwner) : undefined;
  }

  async customersOfPseudonyms(pseudonyms: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [p, owner] of await this.ownersOf(pseudonyms)) out.set(p, owner.customerId);
    return out;
  }

  async areasOfPseudonyms(pseudonyms: readonly string[]): Promise<Map<string, string>> {
    const owners = await this.ownersOf(pseudonyms);
    const areaOf = new Map<string, string>();
    for (const [c, raw] of await this.hashValues(
      'registry contracts',
      this.contracts,
      [...owners.values()].map((o) => o.contractId),
    )) {
      areaOf.set(c, (JSON.parse(raw) as StoredContract).area);
    }
    const out = new Map<string, string>();
    for (const [p, owner] of owners) {
      const area = areaOf.get(owner.contractId);
      if (area !== undefined) out.set(p, area);
    }
    return out;
  }

  /** The owners the registry knows of these pseudonyms (the others left out). */
  private async ownersOf(pseudonyms: readonly string[]): Promise<Map<string, PseudonymOwner>> {
    const out = new Map<string, PseudonymOwner>();
    for (const [p, raw] of await this.hashValues(
      'registry pseudonyms',
      this.pseudonymsKey,
      pseudonyms,
    )) {
      out.set(p, JSON.parse(raw) as PseudonymOwner);
    }
    return out;
  }

  /** A hash's values of these fields (each once, 1,000 a call; absent ones left out). */
  private async hashValues(
    what: string,
    key: string,
    fields: readonly string[],
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const unique = [...new Set(fields)];
    for (let i = 0; i < unique.length; i += 1000) {
      const part = unique.slice(i, i + 1000);
      const raws = await redisCall(what, () => this.redis.hmget(key, ...part));
      part.forEach((f, j) => {
        const raw = raws[j];
        if (raw) out.set(f, raw);
      });
    }
    return out;
  }

  async allObjections(): Promise<Map<string, Objections>> {
    const all = await redisCall('registry objections', () =>
      this.redis.hgetall(this.objectionsKey),
    );
    return new Map(Object.entries(all).map(([id, raw]) => [id, JSON.parse(raw) as Objections]));
  }

  async putIdentity(identityHash: string, customerId: string): Promise<void> {
    await redisCall('registry identity', () =>
      this.redis.hset(this.identityKey, identityHash, customerId),
    );
  }

  async customerByIdentity(identityHash: string): Promise<string | undefined> {
    const id = await redisCall('registry identity', () =>
      this.redis.hget(this.identityKey, identityHash),
    );
    return id ?? undefined;
  }

  async objectionsOf(customerIds: readonly string[]): Promise<Map<string, Objections>> {
    const out = new Map<string, Objections>();
    if (customerIds.length === 0) return out;
    const raws = await redisCall('registry objections', () =>
      this.redis.hmget(this.objectionsKey, ...customerIds),
    );
    customerIds.forEach((id, i) => {
      const raw = raws[i];
      if (raw) out.set(id, JSON.parse(raw) as Objections);
    });
    return out;
  }

  async setObjections(customerId: string, objections: Objections): Promise<void> {
    await redisCall('registry objections', () =>
      this.redis.hset(this.objectionsKey, customerId, JSON.stringify(objections)),
    );
  }

  async forgetCustomer(customerId: string): Promise<void> {
    const contracts = await this.contractsOfCustomer(customerId);
    for (const contract of contracts) {
      await this.putContract({ ...contract, status: 'cancelled', pseudonyms: {} }, contract);
      await redisCall('registry forget', () =>
        this.redis.hdel(this.contracts, contract.contractId),
      );
    }
    const identities = await redisCall('registry identity', () =>
      this.redis.hgetall(this.identityKey),
    );
    const tx = this.redis.multi();
    for (const [hash, id] of Object.entries(identities))
      if (id === customerId) tx.hdel(this.identityKey, hash);
    tx.hdel(this.objectionsKey, customerId);
    tx.del(this.customerKey(customerId));
    await execAll('registry forget', tx);
  }

  async isBuilt(): Promise<boolean> {
    return (await redisCall('registry built', () => this.redis.exists(this.built))) === 1;
  }

  async markBuilt(): Promise<void> {
    await redisCall('registry built', () => this.redis.set(this.built, new Date().toISOString()));
  }
}
