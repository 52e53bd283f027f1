/** Escaping for InfluxDB line protocol (see PointLines for the lines themselves). */

const TAG_SPECIALS = /[,= \\\n]/g;
const STRING_FIELD_SPECIALS = /["\\]/g;

export function escapeTag(value: string): string {
  return value.replace(TAG_SPECIALS, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export function quoteStringField(value: string): string {
  return `"${value.replace(STRING_FIELD_SPECIALS, (c) => `\\${c}`)}"`;
}
