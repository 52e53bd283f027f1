import { InvalidQueryValueError } from './invalid-query-value-error.js';

/*
 * The only ways a value reaches Flux text: as an escaped string literal, or after a check
 * of its documented shape. Flux evaluates `${…}` inside string literals, so escaping only
 * `\` and `"` is not enough: `"${r.area}"` would compare a column with itself. Every `$`
 * becomes the byte escape `\x24`: Flux's own `\${` covers only `${`, and its lexer takes
 * the character after a lone `$` as plain, so `$\"` would end the literal early.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  $: '\\x24',
};

/** Escapes a value for a double-quoted Flux string literal (`\`, `"`, `$`, line breaks). */
export function fluxString(value: string): string {
  return value.replace(/[\\"\n\r\t$]/g, (m) => ESCAPES[m] ?? m);
}

const PSEUDONYM = /^[0-9a-f]{32}$/;
const AREA = /^(?:\d{3}xx|unknown)$/;
const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

/**
 * A pseudonym as stored (128 bits, lowercase hex).
 * @throws InvalidQueryValueError when it is not one.
 */
export function checkedPseudonym(value: string): string {
  if (!PSEUDONYM.test(value)) throw new InvalidQueryValueError('pseudonym', '32 hex digits');
  return value;
}

/**
 * A coarse area as stored (`NNNxx`, or `unknown`).
 * @throws InvalidQueryValueError when it is not one.
 */
export function checkedArea(value: string): string {
  if (!AREA.test(value)) {
    throw new InvalidQueryValueError('area', 'a postal-code area such as 001xx, or unknown');
  }
  return value;
}

/**
 * An instant as a Flux time literal (RFC 3339, UTC), from epoch ms.
 * @throws InvalidQueryValueError unless it is a whole ms from 1970 up to 2200.
 */
export function fluxTime(ms: number, parameter = 'time'): string {
  if (!Number.isInteger(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new InvalidQueryValueError(parameter, 'a time from 1970 up to 2200');
  }
  return new Date(ms).toISOString();
}
