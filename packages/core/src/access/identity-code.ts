import { FinnishSSN } from 'finnish-ssn';

/**
 * Checks for the Finnish personal identity code (henkilötunnus), DDMMYYCZZZQ. Reasons
 * returned here go into logs and API responses, so none of them contains the code or any
 * part of it.
 */

const CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** Century sign → century. The letters after '-' and 'A' are valid from 2023-01-01. */
const CENTURY: ReadonlyMap<string, number> = new Map([
  ['+', 1800],
  ['-', 1900],
  ['Y', 1900],
  ['X', 1900],
  ['W', 1900],
  ['V', 1900],
  ['U', 1900],
  ['A', 2000],
  ['B', 2000],
  ['C', 2000],
  ['D', 2000],
  ['E', 2000],
  ['F', 2000],
]);

// Deliberately loose at the century sign, so that an unknown sign gets its own reason.
const SHAPE = /^\d{6}\D\d{3}[0-9A-Z]$/;

export function normalizeIdentityCode(code: string): string {
  return code.trim().toUpperCase();
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; years here are always 1800 or later.
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * Tells why a personal identity code is not valid, or returns null when it is. The code is
 * judged after normalizeIdentityCode, so lowercase letters and surrounding spaces pass.
 * Temporary codes (individual number 900–999) are valid.
 */
export function identityCodeProblem(code: string): string | null {
  const normalized = normalizeIdentityCode(code);
  if (!SHAPE.test(normalized)) {
    return 'identity code must have the form DDMMYYCZZZQ (11 characters)';
  }
  const [dd, mm, yy, sign, zzz, check] = [
    normalized.slice(0, 2),
    normalized.slice(2, 4),
    normalized.slice(4, 6),
    normalized.charAt(6),
    normalized.slice(7, 10),
    normalized.charAt(10),
  ];
  const century = CENTURY.get(sign);
  if (century === undefined) {
    return 'identity code has an unknown century sign (allowed: + - Y X W V U A B C D E F)';
  }
  if (!isRealDate(century + Number(yy), Number(mm), Number(dd))) {
    return 'identity code has an impossible date of birth';
  }
  if (Number(zzz) < 2) return 'identity code has an individual number below 002';
  const expected = CHECK_CHARACTERS[Number(`${dd}${mm}${yy}${zzz}`) % 31];
  if (check !== expected) return 'identity code has a wrong check character';
  // The checks above give precise reasons; finnish-ssn is the second, independent opinion.
  // It also refuses years it considers implausible for the sign (1800–1849, 2030–2099).
  if (!FinnishSSN.validate(normalized)) {
    return 'identity code is outside the years accepted for its century sign';
  }
  return null;
}
