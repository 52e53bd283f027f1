import { describe, expect, it } from 'vitest';
import { identityCodeProblem, normalizeIdentityCode } from './identity-code.js';

// Check characters below were computed outside this code from the rule in facts.md:
// "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(DDMMYYZZZ) mod 31].
describe('identityCodeProblem accepts', () => {
  it.each([
    ['100190-999P', "1900s with '-' (temporary number)"],
    ['100190Y999P', "1900s with 'Y', a 2023 letter"],
    ['150305A123B', "2000s with 'A'"],
    ['150305B123B', "2000s with 'B', a 2023 letter"],
    ['010203E9002', "2000s with 'E', temporary number"],
    ['290200A1239', '29 February 2000, a leap year'],
    ['290200C002C', 'the lowest individual number, 002'],
    ['130752+002H', "1800s with '+'"],
  ])('%s (%s)', (code) => {
    expect(identityCodeProblem(code)).toBeNull();
  });

  it('lowercase and surrounding spaces, judging the normalized code', () => {
    expect(identityCodeProblem('100190y999p')).toBeNull();
    expect(identityCodeProblem('  150305b123b\n')).toBeNull();
  });
});

describe('identityCodeProblem rejects', () => {
  it.each([
    ['100190-999R', /wrong check character/],
    ['100190Y999N', /wrong check character/],
    ['150305A123C', /wrong check character/],
    ['310290-123T', /impossible date/],
    ['290200-1239', /impossible date/], // 1900 was not a leap year
    ['290201A123J', /impossible date/],
    ['001390-999P', /impossible date/],
    ['100190G999P', /unknown century sign/],
    ['100190Z999P', /unknown century sign/],
    ['100190 999P', /unknown century sign/],
    ['010190-001P', /individual number/],
    ['100190-99P', /DDMMYYCZZZQ/],
    ['100190-9999P', /DDMMYYCZZZQ/],
    ['1O0190-999P', /DDMMYYCZZZQ/],
    ['', /DDMMYYCZZZQ/],
    // Structurally right but refused by finnish-ssn, the second opinion (years 1800–1849
    // and 2030–2099).
    ['010149+1232', /outside the years/],
    ['010130A1235', /outside the years/],
  ])('%s with a reason matching %s that never contains the code', (code, reason) => {
    const problem = identityCodeProblem(code);
    expect(problem).toMatch(reason);
    const normalized = normalizeIdentityCode(code);
    for (const part of [code, normalized, normalized.slice(0, 6), normalized.slice(7)]) {
      if (part.length > 0) expect(problem).not.toContain(part);
    }
  });
});

describe('normalizeIdentityCode', () => {
  it('trims and uppercases, and changes nothing else', () => {
    expect(normalizeIdentityCode(' 100190y999p ')).toBe('100190Y999P');
    expect(normalizeIdentityCode('100190-999P')).toBe('100190-999P');
  });
});
