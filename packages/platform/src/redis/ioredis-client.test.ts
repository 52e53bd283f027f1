import { EngineUnavailableError } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { execAll } from './ioredis-client.js';

describe('execAll', () => {
  it('throws the first command error of a pipeline instead of passing it for done', async () => {
    const oom = new Error('OOM command not allowed when used memory > maxmemory');
    const batch = {
      exec: async () => [
        [null, 1] as [Error | null, unknown],
        [oom, null] as [Error | null, unknown],
      ],
    };
    const error = await execAll('window digests', batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as EngineUnavailableError).retriable).toBe(true);
    expect((error as Error & { cause?: unknown }).cause).toBe(oom);
  });

  it('returns the results when every command succeeded, and null for an aborted transaction', async () => {
    const ok: Array<[Error | null, unknown]> = [
      [null, 'a'],
      [null, 2],
    ];
    expect(await execAll('x', { exec: async () => ok })).toBe(ok);
    expect(await execAll('x', { exec: async () => null })).toBeNull();
  });
});
