/**
 * Formatting of quantities for people (the HTML report). Watt-hours are exact integers, so
 * kWh are formatted from them with integer arithmetic: the digits shown are exactly the
 * stored value, with no floating-point division in between.
 */

export const DAY_MS = 86_400_000;

const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) =>
  String(i).padStart(3, '0'),
);

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
 * Formats watt-hours as kWh for people: three decimals, the language's decimal separator
 * (a point by default) and a narrow no-break space between thousands (SI style).
 * @throws RangeError when `wh` is not finite.
 */
export function displayKwh(wh: number, decimalSeparator = '.'): string {
  const plain = formatWhAsKwh(wh, '.');
  const sign = plain.startsWith('-') ? '-' : '';
  const [whole = '', fraction = ''] = plain.slice(sign.length).split('.');
  let grouped = whole;
  for (let i = whole.length - 3; i > 0; i -= 3) {
    grouped = `${grouped.slice(0, i)}\u202f${grouped.slice(i)}`;
  }
  return `${sign}${grouped}${decimalSeparator}${fraction}`;
}
