import { OBJECTION_PURPOSES, type Purpose } from '@lukema/core';
import type { RegistryWriter } from '@lukema/platform';

/**
 * The one place where the right to object is enforced. Every query or disclosure path
 * passes the pseudonyms it is about to return through here with its declared purpose; for
 * direct marketing and market research, those of customers who objected are removed.
 */
export class ObjectionFilter {
  constructor(private readonly registry: Pick<RegistryWriter, 'findPseudonym' | 'objectionsOf'>) {}

  /** The subset of `pseudonyms` that may be used for `purpose`. */
  async permitted(purpose: Purpose, pseudonyms: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(pseudonyms)];
    if (!OBJECTION_PURPOSES.has(purpose)) return new Set(unique);
    const owners = await Promise.all(unique.map((p) => this.registry.findPseudonym(p)));
    const customers = [...new Set(owners.flatMap((o) => (o ? [o.customerId] : [])))];
    const objections = await this.registry.objectionsOf(customers);
    const allowed = new Set<string>();
    unique.forEach((pseudonym, i) => {
      const owner = owners[i];
      // A series nobody can be resolved to (erased, vacant) is no one's personal data.
      if (!owner) return;
      const o = objections.get(owner.customerId);
      const objects = purpose === 'marketing' ? o?.directMarketing : o?.marketResearch;
      if (!objects) allowed.add(pseudonym);
    });
    return allowed;
  }
}
