import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('the customer page OIDC settings', () => {
  it('are absent unless an issuer is set', () => {
    expect(loadConfig({}).api.oidc).toBeUndefined();
  });

  it('read the issuer, client and redirect, with the identity claim by default', () => {
    const oidc = loadConfig({
      LUKEMA_OIDC_ISSUER: 'https://idp.example.fi',
      LUKEMA_OIDC_CLIENT_ID: 'lukema',
      LUKEMA_OIDC_CLIENT_SECRET: 's3cret',
      LUKEMA_API_URL: 'https://lukema.example.fi',
    }).api.oidc;
    expect(oidc).toEqual({
      issuer: 'https://idp.example.fi',
      clientId: 'lukema',
      clientSecret: 's3cret',
      redirectUrl: 'https://lukema.example.fi/me/oidc/callback',
      identityClaim: 'personal_identity_code',
    });
  });

  it('names a missing client setting', () => {
    expect(() => loadConfig({ LUKEMA_OIDC_ISSUER: 'https://idp.example.fi' })).toThrow(ConfigError);
    expect(() => loadConfig({ LUKEMA_OIDC_ISSUER: 'https://idp.example.fi' })).toThrow(
      'LUKEMA_OIDC_CLIENT_ID',
    );
  });
});
