/**
 * Privacy-budget accounting: a token acting for a purpose may spend at most `total` epsilon
 * over all its queries (sequential composition). Pure: the durable store runs the same rule
 * atomically (see IoredisPrivacyBudget).
 */
export interface BudgetDecision {
  readonly allowed: boolean;
  /** Spent after the decision (unchanged when refused). */
  readonly spent: number;
  readonly total: number;
}

/** Tolerance for float sums of epsilons (0.1 + 0.2 ≠ 0.3). */
const SLACK = 1e-9;

export function spend(spent: number, epsilon: number, total: number): BudgetDecision {
  if (!(epsilon > 0)) throw new RangeError('a query spends a positive epsilon');
  if (spent + epsilon > total + SLACK) return { allowed: false, spent, total };
  return { allowed: true, spent: spent + epsilon, total };
}
