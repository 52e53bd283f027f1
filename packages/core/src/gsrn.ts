/**
 * GSRN (Global Service Relation Number) checks for metering point IDs: 18 digits, the
 * last a GS1 mod-10 check digit (weights 3,1,3,… from the right, excluding the check digit).
 */

const GSRN_PATTERN = /^\d{18}$/;

/** Computes the GS1 mod-10 check digit for the digits before it. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Tells why a metering point ID is not a valid GSRN, or null when it is. */
export function gsrnProblem(id: string): string | null {
  if (!GSRN_PATTERN.test(id)) return 'metering point ID must be exactly 18 digits';
  const expected = gs1CheckDigit(id.slice(0, 17));
  if (expected !== id.charCodeAt(17) - 48) return 'metering point ID has a wrong check digit';
  return null;
}

export function isValidGsrn(id: string): boolean {
  return gsrnProblem(id) === null;
}

/** Builds a valid GSRN from a 17-digit body (test data and the simulator). */
export function gsrnFromBody(body: string): string {
  if (!/^\d{17}$/.test(body)) throw new RangeError('GSRN body must be 17 digits');
  return body + String(gs1CheckDigit(body));
}
