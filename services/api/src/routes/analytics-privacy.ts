import {
  type GuardedResult,
  type NoiseStatement,
  type NoisyGroup,
  privateGroups,
} from '@lukema/core';
import type { ApiDeps } from '../api-deps.js';

/**
 * The differentially private release of guarded groups (market research): spends the
 * query's epsilon from the token's durable budget for the purpose first, then adds noise
 * to each released group's count and clamped sum. A query that would exceed the budget is
 * refused and spends nothing.
 */
export async function noisyRelease(
  privacy: ApiDeps['privacy'],
  tokenId: string,
  purpose: string,
  result: GuardedResult,
  options: { readonly groupsPerCustomer: number },
): Promise<
  | { refused: string; spent: number }
  | {
      groups: NoisyGroup[];
      noise: NoiseStatement;
      budget: { spent: number; total: number };
    }
> {
  const { epsilonPerQuery, budget, clampKwh, budgets } = privacy;
  const decision = await budgets.spend(tokenId, purpose, epsilonPerQuery, budget);
  if (!decision.allowed) {
    return {
      refused: `privacy budget exhausted: this token has spent ${decision.spent} of its ${budget} epsilon for ${purpose}, and a query needs ${epsilonPerQuery}`,
      spent: decision.spent,
    };
  }
  const out = privateGroups(
    result.groups,
    result.customerValues,
    { epsilon: epsilonPerQuery, clampKwh, groupsPerCustomer: options.groupsPerCustomer },
    undefined,
    result.groupSums,
  );
  return { ...out, budget: { spent: decision.spent, total: budget } };
}
