/*
 * JSON schemas shared by the routes: what each path parameter, query and body may hold, and
 * what each answer holds (the response schemas also keep anything undeclared out of an
 * answer). A value of another shape is a 400 with `{ "error": "invalid request: …" }`,
 * before a handler runs. Each `description` is the clear message given for a bad value.
 */

/**
 * The utility's customer number: 6 to 9 digits, not starting with 0. Never an identity
 * code (it has a century sign) nor a phone number (those start with 0 or +358). The same
 * shape as core's CUSTOMER_NUMBER_PATTERN on main (the audit-first work); use that one once
 * both are merged.
 */
export const CUSTOMER_NUMBER = '^[1-9][0-9]{5,8}$';

export const customerNumber = {
  type: 'string',
  pattern: CUSTOMER_NUMBER,
  description:
    'a customer number (6 to 9 digits, not starting with 0; an identity code goes in personalIdentityCode)',
} as const;

/** Access-request ids and pseudonyms: 128 bits, lowercase hex. */
const hex32 = (what: string) =>
  ({
    type: 'string',
    pattern: '^[0-9a-f]{32}$',
    description: `${what} (32 lowercase hex digits)`,
  }) as const;
export const requestId = hex32('a request id');
export const pseudonym = hex32('a pseudonym');

export const errorBody = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: { error: { type: 'string' } },
} as const;

/** The error answers a route can give, all of one shape. */
export function errorResponses(...codes: number[]): Record<number, typeof errorBody> {
  return Object.fromEntries(codes.map((code) => [code, errorBody]));
}

/** Every guarded route can answer these (bad input, no or wrong token, not allowed, failure). */
export const GUARDED = [400, 401, 403, 500, 503] as const;

/** A route that takes no query parameters. */
export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

/** A POST that takes no body: nothing, or an empty JSON object. */
export const noBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {},
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: requestId },
} as const;

export const customerParams = {
  type: 'object',
  required: ['customerId'],
  additionalProperties: false,
  properties: { customerId: customerNumber },
} as const;

const exportResult = {
  type: 'object',
  required: ['found', 'readings', 'contracts', 'files'],
  additionalProperties: false,
  properties: {
    found: { type: 'boolean' },
    readings: { type: 'integer' },
    contracts: { type: 'integer' },
    files: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** An access request's status as the DPO sees it (never the customer number). */
export const exportStatus = {
  type: 'object',
  required: ['requestId', 'state', 'progress', 'createdAt', 'receivedAt', 'expiresAt'],
  additionalProperties: false,
  properties: {
    requestId: { type: 'string' },
    state: { type: 'string' },
    progress: { type: 'number' },
    result: exportResult,
    failedReason: { type: 'string' },
    createdAt: { type: 'string' },
    receivedAt: { type: 'string' },
    expiresAt: { type: 'string' },
    extension: {
      type: 'object',
      required: ['at', 'reason'],
      additionalProperties: false,
      properties: { at: { type: 'string' }, reason: { type: 'string' } },
    },
  },
} as const;
