/**
 * Formatting of instants and quantities for the exports. Called once per reading (210k
 * readings in an access export), so it uses integer arithmetic and per-day caches instead
 * of Date objects, regexes or toFixed per row.
 */

export const DAY_MS = 86_400_000;

const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, i) =>
  String(i).padStart(2, '0'),
);
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) =>
  String(i).padStart(3, '0'),
);

/**
 * Returns a formatter of UTC epoch ms as `YYYY-MM-DDTHH:MM:SSZ` (milliseconds dropped). It
 * caches the date of the last day it saw, so sorted input costs one Date per day.
 * The formatter throws RangeError for a non-finite instant.
 */
export function utcSecondsFormatter(): (ms: number) => string {
  let cachedDay = Number.NaN;
  let prefix = '';
  return (ms: number): string => {
    const day = Math.floor(ms / DAY_MS);
    if (day !== cachedDay) {
      if (!Number.isFinite(ms)) throw new RangeError(`not a finite instant: ${ms}`);
      prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
      cachedDay = day;
    }
    const seconds = Math.floor((ms - day * DAY_MS) / 1000);
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return `${prefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[seconds % 60]}Z`;
  };
}

/**
 * Formats watt-hours as kWh with exactly three decimals and the given decimal separator:
 * (1234, ',') → `1,234`, (-50, ',') → `-0,050`. A non-integer is rounded to the nearest Wh.
 * @throws RangeError when `wh` is not finite.
 */
export function formatWhAsKwh(wh: number, decimalSeparator: string): string {
  if (!Number.isFinite(wh)) throw new RangeError(`not a finite quantity: ${wh}`);
  let n = Math.round(wh);
  const negative = n < 0;
  if (negative) n = -n;
  const whole = Math.floor(n / 1000);
  const fraction = THREE_DIGITS[n - whole * 1000];
  return `${negative ? '-' : ''}${whole}${decimalSeparator}${fraction}`;
}

/**
 * Formats watt-hours as kWh for people: three decimals, a decimal point and a narrow
 * no-break space between thousands (SI style, so it reads the same in Finnish and English).
 * @throws RangeError when `wh` is not finite.
 */
export function displayKwh(wh: number): string {
  const plain = formatWhAsKwh(wh, '.');
  const sign = plain.startsWith('-') ? '-' : '';
  const [whole = '', fraction = ''] = plain.slice(sign.length).split('.');
  let grouped = whole;
  for (let i = whole.length - 3; i > 0; i -= 3) {
    grouped = `${grouped.slice(0, i)}\u202f${grouped.slice(i)}`;
  }
  return `${sign}${grouped}.${fraction}`;
}
