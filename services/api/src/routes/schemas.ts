/*
 * JSON schemas shared by the routes: what each path parameter, query and body may hold, and
 * what each answer holds (the response schemas also keep anything undeclared out of an
 * answer). A value of another shape is a 400 with `{ "error": "invalid request: …" }`,
 * before a handler runs. Each `description` is the clear message given for a bad value.
 */
import { CUSTOMER_NUMBER_PATTERN } from '@lukema/core';
import { ISO_INSTANT } from '../analytics-window.js';

export const customerNumber = {
  type: 'string',
  pattern: CUSTOMER_NUMBER_PATTERN,
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
/** A request list's answer: `{ requests: [...] }` of the given item schema. */
export function requestList<T extends object>(items: T) {
  return {
    type: 'object',
    required: ['requests'],
    additionalProperties: false,
    properties: { requests: { type: 'array', items } },
  } as const;
}

/** A time parameter of the analytics routes: an ISO date or a date-time with a zone. */
export const instant = {
  type: 'string',
  maxLength: 40,
  pattern: ISO_INSTANT,
  description: 'an ISO date (2026-11-01) or date-time with a zone (2026-11-01T00:00:00Z)',
} as const;

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
