/** A whole number with thousands separators, for printed figures. */
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
