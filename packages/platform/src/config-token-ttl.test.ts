import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('API token lifetime', () => {
  it('is 90 days by default and configurable in days', () => {
    expect(loadConfig({}).api.tokenTtlMs).toBe(90 * 86_400_000);
    expect(loadConfig({ LUKEMA_API_TOKEN_TTL_DAYS: '7' }).api.tokenTtlMs).toBe(7 * 86_400_000);
    expect(() => loadConfig({ LUKEMA_API_TOKEN_TTL_DAYS: '0' })).toThrow(
      /LUKEMA_API_TOKEN_TTL_DAYS/,
    );
  });
});
