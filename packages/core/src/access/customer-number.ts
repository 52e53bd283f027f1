/**
 * The utility's internal customer number: the only way the rights API and the audit trail
 * name a customer. Six to nine digits, the first not zero. The shape is chosen so that a
 * customer number can never be mistaken for a direct identifier: a personal identity code
 * has a century sign and a check character, a Finnish phone number starts with 0 or +358.
 */
export const CUSTOMER_NUMBER_PATTERN = '^[1-9][0-9]{5,8}$';

const SHAPE = new RegExp(CUSTOMER_NUMBER_PATTERN);

/** True when `value` is a customer number (see {@link CUSTOMER_NUMBER_PATTERN}). */
export function isCustomerNumber(value: unknown): value is string {
  return typeof value === 'string' && SHAPE.test(value);
}

/**
 * Tells why `value` is not a customer number, or returns null when it is. The reason goes
 * into API responses, so it never repeats the value (which may be an identity code).
 */
export function customerNumberProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'a customer number must be a string';
  if (isCustomerNumber(value)) return null;
  return 'a customer number has 6 to 9 digits, the first not 0 (an identity code goes in personalIdentityCode)';
}
