/**
 * The machine-readable half of the privacy policy's retention: what each store keeps, how
 * long and why (`retentionPolicy` in services/api/policy/privacy-policy.json, beside the
 * notice's texts). Provisioning, `retention apply` and `retention report` read it; the
 * access report's retention section is the notice's text in the same file.
 */
export const RETENTION_STORES = [
  'raw-readings',
  'rollups',
  'readings-topic',
  'dead-letters',
  'contracts-dead-letters',
  'corrections',
  'erasure-requests',
  'window-state',
  'parked-readings',
  'exports',
  'access-requests',
  'audit-trail',
] as const;
export type RetentionStore = (typeof RETENTION_STORES)[number];

export interface RetentionRule {
  readonly store: RetentionStore;
  /** How long entries are kept, in ms; null when not time-bound (stated in `why`). */
  readonly keepMs: number | null;
  readonly why: string;
}

export class RetentionPolicyError extends Error {
  constructor(field: string, problem: string) {
    super(`retention policy: ${field} ${problem}`);
    this.name = 'RetentionPolicyError';
  }
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Reads `retentionPolicy.stores` from the policy file's JSON text: every store once, each
 * with exactly one of `keepDays`, `keepHours` (positive) or `"keep": "until-assigned"`.
 * @throws RetentionPolicyError naming the field when the section is missing or invalid.
 */
export function parseRetentionPolicy(text: string): Map<RetentionStore, RetentionRule> {
  const json = JSON.parse(text) as { retentionPolicy?: { stores?: unknown } };
  const stores = json.retentionPolicy?.stores;
  if (!Array.isArray(stores))
    throw new RetentionPolicyError('retentionPolicy.stores', 'is missing');
  const rules = new Map<RetentionStore, RetentionRule>();
  stores.forEach((entry: Record<string, unknown>, i) => {
    const field = `retentionPolicy.stores[${i}]`;
    const store = entry.store as RetentionStore;
    if (!RETENTION_STORES.includes(store))
      throw new RetentionPolicyError(`${field}.store`, 'is not a known store');
    if (rules.has(store)) throw new RetentionPolicyError(`${field}.store`, 'is listed twice');
    if (typeof entry.why !== 'string' || entry.why.length < 10) {
      throw new RetentionPolicyError(`${field}.why`, 'must say why (a sentence)');
    }
    const days = entry.keepDays;
    const hours = entry.keepHours;
    let keepMs: number | null;
    if (typeof days === 'number' && days > 0 && hours === undefined) keepMs = days * DAY_MS;
    else if (typeof hours === 'number' && hours > 0 && days === undefined) keepMs = hours * HOUR_MS;
    else if (entry.keep === 'until-assigned' && days === undefined && hours === undefined)
      keepMs = null;
    else
      throw new RetentionPolicyError(
        field,
        'needs keepDays, keepHours or "keep": "until-assigned"',
      );
    rules.set(store, { store, keepMs, why: entry.why });
  });
  for (const store of RETENTION_STORES) {
    if (!rules.has(store))
      throw new RetentionPolicyError('retentionPolicy.stores', `lacks ${store}`);
  }
  return rules;
}

/** One place where a store keeps data, with its policy and what the engine holds. */
export interface RetentionObservation {
  readonly store: RetentionStore;
  /** Bucket, topic, key pattern or setting. */
  readonly where: string;
  readonly policyMs: number | null;
  /** What the engine holds (ms); null when it keeps forever or has no such place. */
  readonly actualMs: number | null;
  /** For Redis keys and export folders: how many outlive the policy (drift when > 0). */
  readonly offending?: number;
  /** What `offending` counts (default `keys`). */
  readonly unit?: 'keys' | 'folders';
}

/** Whether an observation drifts from the policy. */
export function drifts(o: RetentionObservation): boolean {
  if (o.offending !== undefined) return o.offending > 0;
  return o.policyMs !== o.actualMs;
}

const human = (ms: number | null) =>
  ms === null ? 'unbounded' : ms % DAY_MS === 0 ? `${ms / DAY_MS} d` : `${ms / HOUR_MS} h`;

/** The report: one line per place, then the verdict. */
export function retentionReport(observations: readonly RetentionObservation[]): string {
  const lines = observations.map((o) => {
    const actual =
      o.offending === undefined
        ? human(o.actualMs)
        : `${o.offending} ${o.unit ?? 'keys'} beyond policy`;
    return `${drifts(o) ? 'DRIFT' : 'ok   '}  ${o.store.padEnd(24)} ${o.where.padEnd(44)} policy ${human(o.policyMs).padEnd(10)} actual ${actual}`;
  });
  const drifted = observations.filter(drifts).length;
  lines.push(
    drifted === 0 ? 'retention: every store matches the policy' : `retention: ${drifted} drift(s)`,
  );
  return lines.join('\n');
}
