import { createHash, type JsonWebKey, randomBytes } from 'node:crypto';
import { LukemaError } from '@lukema/core';
import { verifyIdToken } from './id-token.js';

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUrl: string;
  readonly identityClaim: string;
}

/** Thrown when the identity provider cannot be reached or answers out of protocol. */
export class OidcProviderError extends LukemaError {
  readonly statusCode = 502;

  constructor(step: string, cause?: unknown) {
    super(`the identity provider failed at ${step}`, { retriable: true, cause });
  }
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

/** One sign-in in progress: what the callback must match (state, nonce, PKCE verifier). */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

const random = () => randomBytes(32).toString('base64url');

/**
 * The customer page's OpenID Connect client (authorization code flow with PKCE, client
 * secret over HTTP Basic): the utility's identity provider does the strong authentication;
 * Lukema reads the personal identity code from the ID token only to find the customer.
 */
export class OidcClient {
  private discovery?: Promise<Discovery>;

  constructor(
    readonly settings: OidcSettings,
    private readonly http: typeof fetch = fetch,
  ) {}

  private async meta(): Promise<Discovery> {
    this.discovery ??= this.http(
      `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    )
      .then(async (r) => {
        if (!r.ok) throw new OidcProviderError('discovery');
        return (await r.json()) as Discovery;
      })
      .catch((error) => {
        this.discovery = undefined;
        throw error instanceof OidcProviderError
          ? error
          : new OidcProviderError('discovery', error);
      });
    return this.discovery;
  }

  /** Where to send the browser, and what its return must match. */
  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const { authorization_endpoint } = await this.meta();
    const pending = { state: random(), nonce: random(), verifier: random() };
    const url = new URL(authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), pending };
  }

  /**
   * Exchanges the code and returns the verified identity claim (the identity code).
   * @throws OidcProviderError (the provider failed); IdTokenError (an untrusted token).
   */
  async finish(code: string, pending: PendingSignIn, nowMs = Date.now()): Promise<string> {
    const meta = await this.meta();
    const basic = Buffer.from(
      `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`,
    ).toString('base64');
    const answer = await this.http(meta.token_endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.settings.redirectUrl,
        code_verifier: pending.verifier,
      }).toString(),
    }).catch((error) => {
      throw new OidcProviderError('token exchange', error);
    });
    if (!answer.ok) throw new OidcProviderError('token exchange');
    const { id_token } = (await answer.json()) as { id_token?: string };
    if (!id_token) throw new OidcProviderError('token exchange');
    const jwks = await this.http(meta.jwks_uri).catch((error) => {
      throw new OidcProviderError('keys', error);
    });
    if (!jwks.ok) throw new OidcProviderError('keys');
    const { keys } = (await jwks.json()) as { keys: (JsonWebKey & { kid?: string })[] };
    const claims = verifyIdToken(id_token, keys, {
      issuer: this.settings.issuer,
      clientId: this.settings.clientId,
      nonce: pending.nonce,
      nowMs,
    });
    const identity = claims[this.settings.identityClaim];
    if (typeof identity !== 'string' || identity === '')
      throw new OidcProviderError('identity claim');
    return identity;
  }
}
