/**
 * Contracts as the customer system states them, and "which contract was valid at metering
 * point M at time t". Periods are calendar dates in Finnish local time, `[start, end)`:
 * a move-out on 2026-06-01 means the old contract ends and the next may start that day.
 */

export interface ContractEvent {
  readonly contractId: string;
  /** The utility's internal customer number (never an identity code). */
  readonly customerId: string;
  readonly siteId: string;
  /** Postal code of the site: the coarse area stored with readings. Never an address. */
  readonly postalCode: string;
  readonly meteringPointIds: readonly string[];
  /** First day of the contract, YYYY-MM-DD, Finnish local date. */
  readonly startDate: string;
  /** First day after the contract (exclusive), YYYY-MM-DD, or null while open-ended. */
  readonly endDate: string | null;
  /** A cancelled contract never applied (e.g. entered by mistake). */
  readonly status: 'active' | 'cancelled';
  readonly updatedAt: string;
}

/** One contract period at one metering point, as the registry keeps it. */
export interface ContractPeriod {
  readonly contractId: string;
  readonly startMs: number;
  /** Exclusive; null while open-ended. */
  readonly endMs: number | null;
  readonly pseudonym: string;
  readonly area: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HELSINKI = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Helsinki',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Offset of Helsinki time from UTC at an instant, in ms (2 h in winter, 3 h in summer). */
function helsinkiOffsetMs(utcMs: number): number {
  const parts = Object.fromEntries(HELSINKI.formatToParts(utcMs).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return asUtc - Math.floor(utcMs / 60_000) * 60_000;
}

/**
 * The UTC instant at which a Finnish calendar date begins (00:00 Europe/Helsinki).
 * @throws RangeError when the date is not a valid YYYY-MM-DD.
 */
export function helsinkiDayStartUtc(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const naive = Date.UTC(y, mo - 1, d);
  const check = new Date(naive);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  // Midnight never falls in a DST gap in Finland (changes happen at 03:00/04:00 local).
  return naive - helsinkiOffsetMs(naive - helsinkiOffsetMs(naive));
}

/** Finds the period valid at `tMs`, or undefined (vacant or unknown). */
export function periodAt(
  periods: readonly ContractPeriod[],
  tMs: number,
): ContractPeriod | undefined {
  for (const p of periods) {
    if (p.startMs <= tMs && (p.endMs === null || tMs < p.endMs)) return p;
  }
  return undefined;
}

/** The coarse area stored for a site: the postal-code area (first three digits + "xx"). */
export function coarseArea(postalCode: string): string {
  return /^\d{5}$/.test(postalCode) ? `${postalCode.slice(0, 3)}xx` : 'unknown';
}
