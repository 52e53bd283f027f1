import type { GroupKey } from './aggregate.js';

/**
 * Disclosure control for aggregates: a group (a cell of the result: area, commodity,
 * direction and period) is released only when at least k distinct customers contribute and
 * no single customer holds more than the dominance share of its total.
 */
export interface DisclosureRule {
  /** Least number of distinct customers in a released group (k). */
  readonly minGroupSize: number;
  /** Largest share of a group's total one customer may hold (0.15 = 15 %). */
  readonly dominanceShare: number;
}

/**
 * A group's id, `area|commodity|direction|period`: how results key a group's customer values
 * and sums, and what the noisy release and complementary suppression look them up by.
 */
export function groupId(k: GroupKey): string {
  return `${k.area}|${k.commodity}|${k.direction}|${k.period}`;
}

export const DEFAULT_DISCLOSURE_RULE: DisclosureRule = { minGroupSize: 5, dominanceShare: 0.15 };

/**
 * Why a group is withheld: it fails k, it is dominated, (`complementary-suppression`) it
 * passes but is withheld so that a withheld sibling cannot be had by subtracting the released
 * ones from their parent's total (see complementary.ts), or (`undecided-past-row-limit`) the
 * per-area rollups' bounds could not decide it and its exact computation would read more
 * per-series rows than the limit allows: withheld, the safe direction; or
 * (`left-out-part-fails-rule`) the customers the purpose leaves out of the group (objectors,
 * series nobody owns) would fail the rule as a group of their own: a purpose that counts
 * them (grid planning) answers the same group, and the difference of the two answers would
 * be their total.
 */
export type WithheldReason =
  | 'fewer-than-k-customers'
  | 'dominated-by-one-customer'
  | 'complementary-suppression'
  | 'undecided-past-row-limit'
  | 'left-out-part-fails-rule';

/**
 * Whether the part of a group a purpose leaves out (each left-out customer's kWh in it) may
 * be had by subtraction: none left out, or as a group of its own it passes the rule.
 */
export function leftOutPartPasses(
  leftOut: ReadonlyMap<string, number> | undefined,
  rule: DisclosureRule,
): boolean {
  return !leftOut || leftOut.size === 0 || judgeGroup(leftOut, rule).released;
}

/**
 * Why a group its own figures release is withheld all the same for a purpose that leaves
 * customers out: its left-out part fails the rule, or a purpose that counts them withholds
 * it in the same query (see `alsoWithheld`); undefined when neither.
 */
export function leftOutReason(
  leftOut: ReadonlyMap<string, number> | undefined,
  withheldByOtherPurpose: boolean,
  rule: DisclosureRule,
): WithheldReason | undefined {
  if (!leftOutPartPasses(leftOut, rule)) return 'left-out-part-fails-rule';
  return withheldByOtherPurpose ? 'complementary-suppression' : undefined;
}

export type GroupVerdict =
  | { readonly released: true; readonly customers: number }
  | { readonly released: false; readonly customers: number; readonly reason: WithheldReason };

/**
 * Judges one group from each distinct customer's contribution (kWh, summed over their
 * series in the group). Dominance compares magnitudes, so a production group is judged alike.
 */
export function judgeGroup(
  perCustomer: ReadonlyMap<string, number>,
  rule: DisclosureRule,
): GroupVerdict {
  const customers = perCustomer.size;
  if (customers < rule.minGroupSize) {
    return { released: false, customers, reason: 'fewer-than-k-customers' };
  }
  let total = 0;
  let largest = 0;
  for (const v of perCustomer.values()) {
    total += Math.abs(v);
    largest = Math.max(largest, Math.abs(v));
  }
  if (total > 0 && largest > rule.dominanceShare * total) {
    return { released: false, customers, reason: 'dominated-by-one-customer' };
  }
  return { released: true, customers };
}

/**
 * A coarser area for merging withheld groups: `001xx` → `00xxx` → `0xxxx`; `unknown` stays.
 * `digits` is the number of postal-code digits kept (1–3).
 */
export function coarserArea(area: string, digits: number): string {
  if (!/^\d{3}xx$/.test(area)) return area;
  const kept = Math.max(1, Math.min(3, digits));
  return area.slice(0, kept) + 'x'.repeat(5 - kept);
}

/**
 * The largest magnitude among a group's values, 0 for none (a loop: spreading a group of
 * 10^5 customers into Math.max passes V8's argument limit).
 */
export function largestAbs(values: Iterable<number>): number {
  let largest = 0;
  for (const v of values) if (Math.abs(v) > largest) largest = Math.abs(v);
  return largest;
}
