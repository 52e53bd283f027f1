import { isPurpose, type Purpose } from './purposes.js';
import type { Action, Role } from './roles.js';
import { ACTION_PURPOSES, ROLE_ACTIONS } from './rules.js';

/** What a stored API token grants: the role it acts as and the purposes it may declare. */
export interface TokenGrant {
  readonly name: string;
  readonly role: Role;
  readonly purposes: readonly Purpose[];
}

export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 403; readonly reason: string };

const ALLOWED: Decision = { allowed: true };

function deny(status: 401 | 403, reason: string): Decision {
  return { allowed: false, status, reason };
}

/**
 * Decides whether a token may do `action` for the declared `purpose`. Never throws.
 * `grant` is undefined when the request carried no token or an unknown one (401); every
 * other refusal is 403. Reasons never echo the caller's purpose string, which is untrusted
 * input and could hold anything.
 */
export function authorize(
  grant: TokenGrant | undefined,
  action: Action,
  purpose: string | undefined,
): Decision {
  if (grant === undefined) return deny(401, 'missing or unknown token');
  if (purpose === undefined || purpose === '') return deny(403, 'a purpose is required');
  if (!isPurpose(purpose)) return deny(403, 'the declared purpose is unknown');
  if (!grant.purposes.includes(purpose)) {
    return deny(403, `the token is not granted the purpose ${purpose}`);
  }
  if (!ROLE_ACTIONS[grant.role].has(action)) {
    return deny(403, `the role ${grant.role} may not do ${action}`);
  }
  if (!ACTION_PURPOSES[action].has(purpose)) {
    return deny(403, `${action} is not allowed for the purpose ${purpose}`);
  }
  return ALLOWED;
}
