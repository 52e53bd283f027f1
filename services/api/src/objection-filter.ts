import { OBJECTION_PURPOSES, type Purpose } from '@lukema/core';
import type { RegistryWriter, SeriesOwnership, UnownedSeries } from '@lukema/platform';

/**
 * The one place where the right to object is enforced. Every query or disclosure path
 * passes the pseudonyms it is about to return through here with its declared purpose; for
 * direct marketing and market research, those of customers who objected are removed.
 */
export class ObjectionFilter {
  constructor(
    private readonly registry: Pick<
      RegistryWriter,
      'findPseudonym' | 'objectionsOf' | 'contractsOfCustomer'
    > &
      Pick<SeriesOwnership, 'allObjections'>,
    /** The series the rollups found without an owner (counted in the per-area rollups). */
    private readonly unowned?: Pick<UnownedSeries, 'all'>,
  ) {}

  /**
   * The series of every customer who objected to `purpose`, with their owner keys (empty
   * for a purpose without objections): what an aggregate over the per-area rollups
   * subtracts. Objectors are few, so their series are read one by one. With them, the
   * series that resolve to no one (each its own owner key): `permitted` drops those on the
   * same purposes, so the per-area and the per-series paths count the same series.
   */
  async objectors(purpose: Purpose): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!OBJECTION_PURPOSES.has(purpose)) return out;
    for (const pseudonym of (await this.unowned?.all()) ?? []) {
      if (!(await this.registry.findPseudonym(pseudonym)))
        out.set(pseudonym, `series:${pseudonym}`);
    }
    for (const [customerId, o] of await this.registry.allObjections()) {
      const objects = purpose === 'marketing' ? o.directMarketing : o.marketResearch;
      if (!objects) continue;
      for (const contract of await this.registry.contractsOfCustomer(customerId)) {
        for (const pseudonym of Object.values(contract.pseudonyms)) {
          out.set(pseudonym, `customer:${customerId}`);
        }
      }
    }
    return out;
  }

  /**
   * The pseudonyms that may be used for `purpose`, each with an opaque owner key: the same
   * key for series of one customer, so an aggregate counts distinct customers (the k rule)
   * after objections are applied. A series nobody can be resolved to counts as its own.
   * The keys stay inside the API: they are never returned or logged.
   */
  async owners(purpose: Purpose, pseudonyms: readonly string[]): Promise<Map<string, string>> {
    return (await this.ownersAndEveryone(purpose, pseudonyms)).owners;
  }

  /**
   * `owners` for `purpose`, and beside it every pseudonym's owner key as grid planning
   * counts them (`everyone`: objectors and series nobody owns included), from one lookup of
   * each pseudonym: what a purpose leaves out is `everyone` minus `owners`.
   */
  async ownersAndEveryone(
    purpose: Purpose,
    pseudonyms: readonly string[],
  ): Promise<{ owners: Map<string, string>; everyone: Map<string, string> }> {
    const unique = [...new Set(pseudonyms)];
    const found = await Promise.all(unique.map((p) => this.registry.findPseudonym(p)));
    const everyone = new Map<string, string>();
    unique.forEach((pseudonym, i) => {
      const owner = found[i];
      everyone.set(pseudonym, owner ? `customer:${owner.customerId}` : `series:${pseudonym}`);
    });
    if (!OBJECTION_PURPOSES.has(purpose)) return { owners: everyone, everyone };
    const customers = [...new Set(found.flatMap((o) => (o ? [o.customerId] : [])))];
    const objections = await this.registry.objectionsOf(customers);
    const owners = new Map<string, string>();
    unique.forEach((pseudonym, i) => {
      const owner = found[i];
      // A series nobody can be resolved to (its contract gone): nobody can say whether its
      // owner objected, so it is left out (the per-area path subtracts it: `objectors`).
      if (!owner) return;
      const o = objections.get(owner.customerId);
      const objects = purpose === 'marketing' ? o?.directMarketing : o?.marketResearch;
      if (!objects) owners.set(pseudonym, `customer:${owner.customerId}`);
    });
    return { owners, everyone };
  }

  /** The subset of `pseudonyms` that may be used for `purpose`. */
  async permitted(purpose: Purpose, pseudonyms: readonly string[]): Promise<Set<string>> {
    if (!OBJECTION_PURPOSES.has(purpose)) return new Set(pseudonyms);
    return new Set((await this.ownersAndEveryone(purpose, pseudonyms)).owners.keys());
  }
}
