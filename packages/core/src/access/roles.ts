/** Who a token acts for. `processor` is a contracted service provider (privacy notice). */
export const ROLES = ['dpo', 'analyst', 'operator', 'processor'] as const;
export type Role = (typeof ROLES)[number];

/** Everything the API lets a token do; the rule tables are keyed by these. */
export const ACTIONS = [
  'export.create',
  'export.download',
  'export.list',
  'export.cancel',
  'export.retry',
  'export.extend',
  'request.receive',
  'request.verify',
  'request.deny',
  'reidentify',
  'rectify.contract',
  'rectify.reading',
  'optout.set',
  'erase',
  'legalhold.set',
  'analytics.query',
  'analytics.series',
  'audit.read',
  'audit.verify',
  'token.create',
  'token.revoke',
  // The operator's corner: re-queue dead letters of one reason kind after a fix.
  'deadletters.replay',
] as const;
export type Action = (typeof ACTIONS)[number];
