import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, gsrnFromBody, gsrnProblem, isValidGsrn } from './gsrn.js';

describe('GSRN', () => {
  it('accepts the documented Finnish example', () => {
    expect(isValidGsrn('643007574000138589')).toBe(true);
  });

  it('rejects a wrong check digit, naming the problem', () => {
    expect(gsrnProblem('643007574000138588')).toMatch(/check digit/);
  });

  it('rejects wrong length and non-digits', () => {
    expect(gsrnProblem('64300757400013858')).toMatch(/18 digits/);
    expect(gsrnProblem('64300757400013858X')).toMatch(/18 digits/);
  });

  it('computes check digits that validate', () => {
    for (const body of ['64300000000000001', '64312345678901234', '64399999999999999']) {
      const id = gsrnFromBody(body);
      expect(id).toHaveLength(18);
      expect(isValidGsrn(id)).toBe(true);
      expect(Number(id[17])).toBe(gs1CheckDigit(body));
    }
  });
});
