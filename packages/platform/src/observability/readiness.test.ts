import { describe, expect, it } from 'vitest';
import { checkReadiness } from './readiness.js';

describe('readiness', () => {
  it('is ready when every engine answers', async () => {
    expect(await checkReadiness([{ name: 'redis', check: async () => undefined }])).toEqual({
      ready: true,
      reasons: {},
    });
  });

  it('names each engine that fails or does not answer in time, with the reason', async () => {
    const r = await checkReadiness(
      [
        { name: 'redis', check: async () => undefined },
        {
          name: 'influxdb',
          check: async () => {
            throw new Error('connect ECONNREFUSED 127.0.0.1:18086');
          },
        },
        { name: 'kafka', check: () => new Promise(() => undefined) },
      ],
      50,
    );
    expect(r).toEqual({
      ready: false,
      reasons: {
        influxdb: 'influxdb does not answer: connect ECONNREFUSED 127.0.0.1:18086',
        kafka: 'kafka does not answer: no answer within 50 ms',
      },
    });
  });
});
