import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { RevisionGate, WindowClaim, WindowDigestEraser } from './ports.js';
import { WindowBusyError } from './window-busy-error.js';
import { dayHashNamer, forgetPointWindows } from './window-day-hashes.js';

/** As long as the window digests: corrections come within days (Datahub's D+11). */
const KEEP_SECONDS = 40 * 86_400;

/**
 * Lua helpers: a command over a long list of arguments, in parts (Lua's `unpack` takes at
 * most ~8,000 values at once).
 */
const LUA_PARTS = `
local function hmget(key, fields)
  local out = {}
  for from = 1, #fields, 4000 do
    local got = redis.call('HMGET', key, unpack(fields, from, math.min(from + 3999, #fields)))
    for j = 1, #got do out[from + j - 1] = got[j] end
  end
  return out
end
local function call_parts(command, key, args)
  for from = 1, #args, 4000 do
    redis.call(command, key, unpack(args, from, math.min(from + 3999, #args)))
  end
end
`;

/**
 * KEYS: the day hashes the claims fall in, each once. ARGV: lease ms, keep seconds, then
 * key index, id, rev, owner per claim. Fields: `r|<id>` the newest revision claimed,
 * `w|<id>` "owner|until ms" while written. All or nothing: returns {-1, busy count} or
 * {1, stale indexes...}. A few Redis calls a day hash, not a claim (one HMGET of every
 * claim's two fields, one HSET of what is taken, one EXPIRE): a batch claims thousands of
 * windows of a few days, and Redis spent more in this script than in any command (6 calls
 * a claim, an EXPIRE each, 18 µs a claim in Redis' own time, 2026-12-02).
 */
const CLAIM = `${LUA_PARTS}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease, keep = tonumber(ARGV[1]), tonumber(ARGV[2])
local n = (#ARGV - 2) / 4
local fields, at = {}, {}
for k = 1, #KEYS do fields[k] = {} end
for i = 1, n do
  local a = 4 * i - 1
  local f = fields[tonumber(ARGV[a])]
  f[#f + 1] = 'r|' .. ARGV[a + 1]
  f[#f + 1] = 'w|' .. ARGV[a + 1]
  at[i] = #f - 1
end
local got = {}
for k = 1, #KEYS do got[k] = hmget(KEYS[k], fields[k]) end
local stale, busy, writes = {}, 0, {}
for k = 1, #KEYS do writes[k] = {} end
local untilText = '|' .. (now + lease)
for i = 1, n do
  local a = 4 * i - 1
  local k, rev, owner = tonumber(ARGV[a]), tonumber(ARGV[a + 2]), ARGV[a + 3]
  local g, f, w = got[k], fields[k], writes[k]
  local newest = tonumber(g[at[i]] or '-1')
  if rev < newest then
    stale[#stale + 1] = i
  else
    local held = g[at[i] + 1]
    if held then
      local sep = string.find(held, '|', 1, true)
      if string.sub(held, 1, sep - 1) ~= owner and tonumber(string.sub(held, sep + 1)) > now then
        busy = busy + 1
      end
    end
    if rev > newest then
      w[#w + 1] = f[at[i]]
      w[#w + 1] = ARGV[a + 2]
    end
    w[#w + 1] = f[at[i] + 1]
    w[#w + 1] = owner .. untilText
  end
end
if busy > 0 then return {-1, busy} end
for k = 1, #KEYS do
  if #writes[k] > 0 then
    call_parts('HSET', KEYS[k], writes[k])
    redis.call('EXPIRE', KEYS[k], keep)
  end
end
local out = {1}
for _, i in ipairs(stale) do out[#out + 1] = i end
return out`;

/**
 * KEYS: the day hashes the claims fall in, each once. ARGV: key index, id, owner per claim.
 * Ends the claims this owner holds: one HMGET and one HDEL a day hash.
 */
const RELEASE = `${LUA_PARTS}
local fields, owners = {}, {}
for k = 1, #KEYS do fields[k], owners[k] = {}, {} end
for i = 1, #ARGV, 3 do
  local k = tonumber(ARGV[i])
  local f = fields[k]
  f[#f + 1] = 'w|' .. ARGV[i + 1]
  owners[k][#f] = ARGV[i + 2] .. '|'
end
for k = 1, #KEYS do
  local f = fields[k]
  if #f > 0 then
    local got, mine = hmget(KEYS[k], f), {}
    for j = 1, #f do
      local w, owner = got[j], owners[k][j]
      if w and string.sub(w, 1, #owner) == owner then mine[#mine + 1] = f[j] end
    end
    if #mine > 0 then call_parts('HDEL', KEYS[k], mine) end
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
    const { keys, args } = this.keyed(claims, (c) => [c.id, String(c.rev), c.owner]);
    const result = (await redisCall('revision claim', () =>
      this.redis.eval(
        CLAIM,
        keys.length,
        ...keys,
        String(this.leaseMs),
        String(KEEP_SECONDS),
        ...args,
      ),
    )) as number[];
    if (result[0] === -1) throw new WindowBusyError(result[1] ?? 0);
    return new Set(result.slice(1).map((i) => (claims[i - 1] as WindowClaim).id));
  }

  /**
   * The scripts' arguments: each day hash once in KEYS, and per claim the index (from 1) of
   * its hash in KEYS followed by `fields`.
   */
  private keyed(claims: readonly WindowClaim[], fields: (c: WindowClaim) => string[]) {
    const keys: string[] = [];
    const indexOf = new Map<string, string>();
    const args: string[] = [];
    for (const c of claims) {
      const key = this.key(c.startMs);
      let index = indexOf.get(key);
      if (index === undefined) {
        keys.push(key);
        index = String(keys.length);
        indexOf.set(key, index);
      }
      args.push(index, ...fields(c));
    }
    return { keys, args };
  }

  async release(claims: readonly WindowClaim[]): Promise<void> {
    if (claims.length === 0) return;
    const { keys, args } = this.keyed(claims, (c) => [c.id, c.owner]);
    await redisCall('revision release', () =>
      this.redis.eval(RELEASE, keys.length, ...keys, ...args),
    );
  }

  /** Erasure: forgets a point's revisions and claims of windows starting in [fromMs, toMs). */
  async forgetWindows(meteringPointId: string, fromMs: number, toMs: number): Promise<number> {
    return forgetPointWindows(this.redis, this.prefix, ['r|', 'w|'], meteringPointId, fromMs, toMs);
  }
}
