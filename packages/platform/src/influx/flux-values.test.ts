// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux interpolation text is what these cases are about
import { describe, expect, it } from 'vitest';
import { checkedArea, checkedPseudonym, fluxString, fluxTime } from './flux-values.js';
import { InvalidQueryValueError } from './invalid-query-value-error.js';

describe('fluxString', () => {
  it('escapes every $, so ${…} stays text', () => {
    expect(fluxString('${r.area}')).toBe('\\x24{r.area}');
    expect(fluxString('a$${b}')).toBe('a\\x24\\x24{b}');
    expect(fluxString('q$z{')).toBe('q\\x24z{');
  });

  it('escapes backslashes, quotes and line breaks', () => {
    expect(fluxString('a\\b"c')).toBe('a\\\\b\\"c');
    expect(fluxString('x" or true or "')).toBe('x\\" or true or \\"');
    expect(fluxString('l1\nl2\r\tend')).toBe('l1\\nl2\\r\\tend');
    // A $ before an escape does not swallow its backslash.
    expect(fluxString('a$\\')).toBe('a\\x24\\\\');
  });
});

describe('checked values', () => {
  it('passes values of their documented shape', () => {
    expect(checkedPseudonym('0123456789abcdef0123456789abcdef')).toBe(
      '0123456789abcdef0123456789abcdef',
    );
    expect(checkedArea('001xx')).toBe('001xx');
    expect(checkedArea('unknown')).toBe('unknown');
    expect(fluxTime(Date.UTC(2026, 10, 1))).toBe('2026-11-01T00:00:00.000Z');
  });

  it.each([['${r.area}'], ['001xx" or r.area != "'], ['001XX'], ['00xx'], ['']])(
    'refuses the area %s, naming the parameter, not the value',
    (area) => {
      const attempt = () => checkedArea(area);
      expect(attempt).toThrow(InvalidQueryValueError);
      expect(attempt).toThrow('area must be a postal-code area such as 001xx, or unknown');
    },
  );

  it('refuses pseudonyms and times of another shape', () => {
    expect(() => checkedPseudonym('${r.pseudonym}')).toThrow(InvalidQueryValueError);
    expect(() => checkedPseudonym('0123456789ABCDEF0123456789ABCDEF')).toThrow(
      InvalidQueryValueError,
    );
    expect(() => fluxTime(Number.NaN, 'from')).toThrow('from must be a time from 1970 up to 2200');
    expect(() => fluxTime(Date.UTC(1000, 0, 1))).toThrow(InvalidQueryValueError);
    expect(() => fluxTime(Date.UTC(2200, 0, 2))).toThrow(InvalidQueryValueError);
    expect(() => fluxTime(0.5)).toThrow(InvalidQueryValueError);
  });
});
