import type { Purpose } from './purposes.js';
import { ACTIONS, type Action, type Role } from './roles.js';

/**
 * The access rules as data, so that they can be read and audited in one place. A token may
 * do an action only when its role lists the action here AND the declared purpose is listed
 * for the action in ACTION_PURPOSES.
 */
export const ROLE_ACTIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  dpo: new Set<Action>(ACTIONS),
  analyst: new Set<Action>(['analytics.query', 'analytics.series']),
  operator: new Set<Action>(['export.list', 'audit.verify', 'deadletters.replay']),
  processor: new Set<Action>(['analytics.query']),
};

const SUBJECT_REQUEST: ReadonlySet<Purpose> = new Set<Purpose>(['access_request']);
const AUDIT: ReadonlySet<Purpose> = new Set<Purpose>(['internal_operations', 'access_request']);

/**
 * The purposes each action may be done for. Record<Action, …> makes the compiler insist
 * that every action has an entry: a new action cannot slip in without a purpose rule.
 */
export const ACTION_PURPOSES: Readonly<Record<Action, ReadonlySet<Purpose>>> = {
  'export.create': SUBJECT_REQUEST,
  'export.download': SUBJECT_REQUEST,
  'export.list': SUBJECT_REQUEST,
  'export.cancel': SUBJECT_REQUEST,
  'export.retry': SUBJECT_REQUEST,
  'export.extend': SUBJECT_REQUEST,
  'request.receive': SUBJECT_REQUEST,
  'request.verify': SUBJECT_REQUEST,
  'request.deny': SUBJECT_REQUEST,
  reidentify: new Set<Purpose>(['access_request', 'authority_request']),
  'rectify.contract': SUBJECT_REQUEST,
  'rectify.reading': SUBJECT_REQUEST,
  'optout.set': SUBJECT_REQUEST,
  erase: SUBJECT_REQUEST,
  'legalhold.set': new Set<Purpose>(['access_request', 'authority_request']),
  'analytics.query': new Set<Purpose>([
    'grid_planning',
    'service_delivery',
    'billing',
    'customer_service',
    'marketing',
    'market_research',
    'internal_operations',
  ]),
  // Per-pseudonym series (no location finer than the area): only where the notice needs one
  // customer's load curve, grid planning. Every other purpose gets guarded aggregates.
  'analytics.series': new Set<Purpose>(['grid_planning']),
  'audit.read': AUDIT,
  'audit.verify': AUDIT,
  'token.create': AUDIT,
  'token.revoke': AUDIT,
  'deadletters.replay': new Set<Purpose>(['internal_operations']),
};

/**
 * Purposes whose aggregates are released with differential-privacy noise and spend the
 * token's privacy budget: market research (beyond the k and dominance rules).
 */
export const NOISY_PURPOSES: ReadonlySet<Purpose> = new Set<Purpose>(['market_research']);
