import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { PrivacyBudgetStore } from './ports.js';

// Check and spend in one script, so two queries at once cannot both pass the last of a
// budget. The rule is core's `spend` (same slack for float sums).
const SPEND = `local spent = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local epsilon = tonumber(ARGV[2])
local total = tonumber(ARGV[3])
if spent + epsilon > total + 1e-9 then return {0, tostring(spent)} end
local now = redis.call('HINCRBYFLOAT', KEYS[1], ARGV[1], ARGV[2])
return {1, tostring(now)}`;

/** Privacy budgets in one Redis hash (AOF-persisted), field `<token id>|<purpose>`. */
export class IoredisPrivacyBudget implements PrivacyBudgetStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async spend(tokenId: string, purpose: string, epsilon: number, total: number) {
    const [ok, spent] = (await redisCall('privacy budget', () =>
      this.redis.eval(SPEND, 1, this.key, `${tokenId}|${purpose}`, String(epsilon), String(total)),
    )) as [number, string];
    return { allowed: ok === 1, spent: Number(spent), total };
  }
}
