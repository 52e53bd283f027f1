import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { RevisionGate, WindowClaim, WindowDigestEraser } from './ports.js';
import { WindowBusyError } from './window-busy-error.js';
import { dayHashNamer, forgetPointWindows } from './window-day-hashes.js';

/** As long as the window digests: corrections come within days (Datahub's D+11). */
const KEEP_SECONDS = 40 * 86_400;

/**
 * KEYS: the day hash of each claim. ARGV: lease ms, keep seconds, then id, rev, owner per
 * claim. Fields: `r|<id>` the newest revision claimed, `w|<id>` "owner|until ms" while
 * written. All or nothing: returns {-1, busy count} or {1, stale indexes...}.
 */
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease, keep = tonumber(ARGV[1]), tonumber(ARGV[2])
local stale, busy, take = {}, 0, {}
for i = 1, #KEYS do
  local id, rev, owner = ARGV[3 * i], tonumber(ARGV[3 * i + 1]), ARGV[3 * i + 2]
  local newest = tonumber(redis.call('HGET', KEYS[i], 'r|' .. id) or '-1')
  if rev < newest then
    table.insert(stale, i)
  else
    local w = redis.call('HGET', KEYS[i], 'w|' .. id)
    if w then
      local sep = string.find(w, '|', 1, true)
      local holder, untilMs = string.sub(w, 1, sep - 1), tonumber(string.sub(w, sep + 1))
      if holder ~= owner and untilMs > now then busy = busy + 1 end
    end
    table.insert(take, i)
  end
end
if busy > 0 then return {-1, busy} end
for _, i in ipairs(take) do
  local id, rev, owner = ARGV[3 * i], tonumber(ARGV[3 * i + 1]), ARGV[3 * i + 2]
  local newest = tonumber(redis.call('HGET', KEYS[i], 'r|' .. id) or '-1')
  if rev > newest then redis.call('HSET', KEYS[i], 'r|' .. id, ARGV[3 * i + 1]) end
  redis.call('HSET', KEYS[i], 'w|' .. id, owner .. '|' .. (now + lease))
  redis.call('EXPIRE', KEYS[i], keep)
end
local out = {1}
for _, i in ipairs(stale) do table.insert(out, i) end
return out`;

/** KEYS: day hash per claim. ARGV: id, owner per claim. Ends the claims this owner holds. */
const RELEASE = `
for i = 1, #KEYS do
  local id, owner = ARGV[2 * i - 1], ARGV[2 * i]
  local w = redis.call('HGET', KEYS[i], 'w|' .. id)
  if w and string.sub(w, 1, #owner + 1) == owner .. '|' then
    redis.call('HDEL', KEYS[i], 'w|' .. id)
  end
end
return 1`;

/**
 * The revision gate in Redis: one hash per UTC day of window starts (as the digests), the
 * rule checked and set by one Lua script so that two workers cannot both decide. A worker
 * that dies while writing holds its windows until the lease ends (or until the partition's
 * next owner reads the same messages again: it claims them as the same owner).
 */
export class IoredisRevisionGate implements RevisionGate, WindowDigestEraser {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    // Long enough to cover a write retried through an InfluxDB outage; a dead worker's
    // claims are normally taken over at once, when its partition's messages are read again.
    private readonly leaseMs = 600_000,
  ) {
    this.key = dayHashNamer(prefix);
  }

  private readonly key: (startMs: number) => string;

  async claim(claims: readonly WindowClaim[]): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const result = (await redisCall('revision claim', () =>
      this.redis.eval(
        CLAIM,
        claims.length,
        ...claims.map((c) => this.key(c.startMs)),
        String(this.leaseMs),
        String(KEEP_SECONDS),
        ...claims.flatMap((c) => [c.id, String(c.rev), c.owner]),
      ),
    )) as number[];
    if (result[0] === -1) throw new WindowBusyError(result[1] ?? 0);
    return new Set(result.slice(1).map((i) => (claims[i - 1] as WindowClaim).id));
  }

  async release(claims: readonly WindowClaim[]): Promise<void> {
    if (claims.length === 0) return;
    await redisCall('revision release', () =>
      this.redis.eval(
        RELEASE,
        claims.length,
        ...claims.map((c) => this.key(c.startMs)),
        ...claims.flatMap((c) => [c.id, c.owner]),
      ),
    );
  }

  /** Erasure: forgets a point's revisions and claims of windows starting in [fromMs, toMs). */
  async forgetWindows(meteringPointId: string, fromMs: number, toMs: number): Promise<number> {
    return forgetPointWindows(this.redis, this.prefix, ['r|', 'w|'], meteringPointId, fromMs, toMs);
  }
}
