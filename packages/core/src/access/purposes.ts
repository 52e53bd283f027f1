/**
 * The closed list of purposes a read of personal data may declare, taken from the purposes
 * and disclosures in the privacy notice.
 */
export const PURPOSES = [
  'customer_service',
  'billing',
  'service_delivery',
  'internal_operations',
  'grid_planning',
  'marketing',
  'market_research',
  'access_request',
  'authority_request',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Purposes for which opted-out customers must be excluded (objection right). */
export const OBJECTION_PURPOSES: ReadonlySet<Purpose> = new Set<Purpose>([
  'marketing',
  'market_research',
]);

// A Set rather than `in` on an object, so inherited names such as 'toString' are not purposes.
const KNOWN_PURPOSES: ReadonlySet<string> = new Set<string>(PURPOSES);

export function isPurpose(value: string): value is Purpose {
  return KNOWN_PURPOSES.has(value);
}
