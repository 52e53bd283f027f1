import { type DisclosureRule, judgeGroup, type WithheldReason } from './group-guard.js';

/**
 * The k and dominance rules from per-area rollups. A group (area, commodity, direction,
 * period or load-profile cell) spans one or more rollup windows (hours or local days). Per
 * window the rollups hold the exact number of distinct customers and the largest customer's
 * kWh (`top`); neither adds up over windows, so a group spanning several gets bounds in the
 * safe direction:
 * - customers over the group ≥ the largest per-window count (a customer counted in one
 *   window is in the group), so a lower bound ≥ k passes k exactly;
 * - the largest customer's kWh over the group ≤ the sum of the windows' `top`, so an upper
 *   bound ≤ the share of the total passes dominance exactly.
 * When a bound does not decide, the group is `undecided` and the caller computes it exactly
 * from the per-series rollups. Objectors' figures are subtracted first: their kWh from the
 * total, their number from the count's lower bound (conservative: they might not all be in
 * the window with the largest count).
 */
export interface AreaGroupFigures {
  /** The group's kWh (objectors subtracted). */
  readonly kwh: number;
  /** Largest per-window distinct customers, minus the objectors present in the group. */
  readonly customersAtLeast: number;
  /** Sum over windows of the largest customer's kWh: ≥ any one customer's group total. */
  readonly topAtMost: number;
  /** One window and no objector subtracted: the count and `top` are exact. */
  readonly exact: boolean;
}

export type AreaVerdict =
  | { readonly released: true }
  | { readonly released: false; readonly reason: WithheldReason }
  | { readonly undecided: true };

/** Judges a group from its area figures; `undecided` when only an exact count can tell. */
export function areaVerdict(f: AreaGroupFigures, rule: DisclosureRule): AreaVerdict {
  if (f.customersAtLeast < rule.minGroupSize) {
    return f.exact ? { released: false, reason: 'fewer-than-k-customers' } : { undecided: true };
  }
  const total = Math.abs(f.kwh);
  if (total > 0 && f.topAtMost > rule.dominanceShare * total) {
    return f.exact ? { released: false, reason: 'dominated-by-one-customer' } : { undecided: true };
  }
  return { released: true };
}

/** One series' kWh in one group, for the exact fallback. */
export interface GroupContribution {
  readonly groupId: string;
  readonly pseudonym: string;
  readonly kwh: number;
}

/**
 * The exact verdicts of groups from per-series contributions (the fallback for undecided
 * groups): each customer's kWh per group summed, then `judgeGroup`. Series `ownerOf` leaves
 * out (objectors) count neither in the values nor in k. Also returns each group's
 * per-customer values (for the noisy release's clamped sums).
 */
export function exactGroupVerdicts(
  contributions: Iterable<GroupContribution>,
  ownerOf: (pseudonym: string) => string | undefined,
  rule: DisclosureRule,
): Map<string, { verdict: ReturnType<typeof judgeGroup>; values: number[] }> {
  const groups = new Map<string, Map<string, number>>();
  for (const c of contributions) {
    const owner = ownerOf(c.pseudonym);
    if (owner === undefined) continue;
    const per = groups.get(c.groupId) ?? new Map<string, number>();
    groups.set(c.groupId, per);
    per.set(owner, (per.get(owner) ?? 0) + c.kwh);
  }
  const out = new Map<string, { verdict: ReturnType<typeof judgeGroup>; values: number[] }>();
  for (const [id, per] of groups) {
    out.set(id, {
      verdict: judgeGroup(per, rule),
      values: [...per.values()].sort((a, b) => a - b),
    });
  }
  return out;
}
