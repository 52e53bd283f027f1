import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { Lease } from './ports.js';

/** Extends or ends the lease only while this holder has it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2])) and 1 or 0
end
return 0`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** A lease in one Redis key (`SET NX PX`): one holder at a time, lapsing when not renewed. */
export class IoredisLease implements Lease {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async acquire(holder: string, ttlMs: number): Promise<boolean> {
    const taken = await redisCall('lease acquire', () =>
      this.redis.set(this.key, holder, 'PX', ttlMs, 'NX'),
    );
    return taken === 'OK';
  }

  async renew(holder: string, ttlMs: number): Promise<boolean> {
    const renewed = await redisCall('lease renew', () =>
      this.redis.eval(RENEW, 1, this.key, holder, String(ttlMs)),
    );
    return renewed === 1;
  }

  async release(holder: string): Promise<void> {
    await redisCall('lease release', () => this.redis.eval(RELEASE, 1, this.key, holder));
  }

  async holder(): Promise<string | undefined> {
    return (await redisCall('lease holder', () => this.redis.get(this.key))) ?? undefined;
  }
}
