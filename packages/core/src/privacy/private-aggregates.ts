import type { GroupKey, ReleasedGroup } from '../analytics/aggregate.js';
import { groupId } from '../analytics/group-guard.js';
import { PROFILE_CELLS } from '../rollups/profile-cells.js';
import { clamp, cryptoUniform, geometricNoise, laplaceNoise, type Uniform } from './noise.js';

/** How a query's epsilon is spent on its released groups. */
export interface PrivacyParameters {
  /** The epsilon this query spends (from config). */
  readonly epsilon: number;
  /** Each customer's kWh in a group is clamped to `[0, clampKwh]` before summing. */
  readonly clampKwh: number;
  /**
   * How many groups one customer can appear in (see `groupsPerCustomer`): the epsilon is
   * split over them (sequential composition), half for the count and half for the sum of
   * each group.
   */
  readonly groupsPerCustomer: number;
}

export interface NoisyGroup {
  readonly period: string;
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
  /** Noisy number of customers (two-sided geometric). */
  readonly customers: number;
  /** Noisy clamped total (Laplace). */
  readonly totalKwh: number;
  /** Noisy total / noisy count (post-processing; no further privacy cost). */
  readonly meanKwh: number;
}

export interface NoiseStatement {
  readonly mechanism: 'laplace (sums), two-sided geometric (counts)';
  readonly epsilon: number;
  readonly epsilonPerGroup: number;
  readonly clampKwh: number;
  /** Laplace scale b of each noisy sum (standard deviation √2·b). */
  readonly sumScale: number;
  /** α of each noisy count's geometric noise: P(k) ∝ α^|k|. */
  readonly countAlpha: number;
}

/**
 * How many groups of one answer a customer can be in: its periods (the distinct period
 * labels, or the load profile's 48 cells) times the distinct (commodity, direction) pairs,
 * since a prosumer is in a consumption and a production group of each period, and a customer
 * with several commodities in one of each; times the areas one customer's sites can be in
 * (`areasPerCustomer`, a home and a summer cottage: 2), at most the answer's areas. Counted
 * conservatively over the released and the withheld groups; at least 1.
 */
export function groupsPerCustomer(
  keys: readonly GroupKey[],
  profile = false,
  areasPerCustomer = 1,
): number {
  const periods = profile ? PROFILE_CELLS : new Set(keys.map((k) => k.period)).size;
  const pairs = new Set(keys.map((k) => `${k.commodity}|${k.direction}`)).size;
  const areas = Math.min(areasPerCustomer, new Set(keys.map((k) => k.area)).size);
  return Math.max(1, periods) * Math.max(1, pairs) * Math.max(1, areas);
}

/**
 * Noisy counts and clamped sums of released groups from each customer's kWh per group.
 * `perCustomer` is keyed like the groups (`area|commodity|direction|period`).
 * @throws RangeError when a parameter is not positive.
 */
export function privateGroups(
  groups: readonly ReleasedGroup[],
  perCustomer: ReadonlyMap<string, readonly number[]>,
  p: PrivacyParameters,
  uniform: Uniform = cryptoUniform,
  /** Groups without per-customer values: their count and a sum no customer's clamp binds. */
  sums: ReadonlyMap<string, { readonly count: number; readonly kwh: number }> = new Map(),
): { groups: NoisyGroup[]; noise: NoiseStatement } {
  if (!(p.epsilon > 0) || !(p.clampKwh > 0) || !(p.groupsPerCustomer >= 1)) {
    throw new RangeError('epsilon, the clamp bound and the groups per customer must be positive');
  }
  const epsilonPerGroup = p.epsilon / p.groupsPerCustomer;
  const half = epsilonPerGroup / 2;
  const sumScale = p.clampKwh / half;
  const noisy = groups.map((g) => {
    const id = groupId(g);
    const values = perCustomer.get(id);
    const sum = sums.get(id);
    const count = values ? values.length : (sum?.count ?? 0);
    const clamped = values
      ? values.reduce((s, v) => s + clamp(v, 0, p.clampKwh), 0)
      : clamp(sum?.kwh ?? 0, 0, count * p.clampKwh);
    const customers = Math.max(0, count + geometricNoise(half, 1, uniform));
    const totalKwh = Math.max(0, clamped + laplaceNoise(sumScale, uniform));
    const round = (v: number) => Math.round(v * 1000) / 1000;
    return {
      period: g.period,
      area: g.area,
      commodity: g.commodity,
      direction: g.direction,
      customers,
      totalKwh: round(totalKwh),
      meanKwh: customers > 0 ? round(totalKwh / customers) : 0,
    };
  });
  return {
    groups: noisy,
    noise: {
      mechanism: 'laplace (sums), two-sided geometric (counts)',
      epsilon: p.epsilon,
      epsilonPerGroup,
      clampKwh: p.clampKwh,
      sumScale,
      countAlpha: Math.exp(-half),
    },
  };
}
