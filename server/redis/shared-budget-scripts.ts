/**
 * Shared budgets in Redis, in integer micro-dollars. Spend per budget window and spend key
 * (`tg:spend:day:2026-12-03|tag:team=ads`) is a hash with one field per instance, each that
 * instance's own total: an instance re-seeding its field from its ledger after a Redis restart
 * overwrites its own share and never counts another's twice. Holds of requests in flight are
 * per scope key: a total, a hash of each hold's amount and a sorted set of when each expires
 * (an instance that died mid-request gives its holds back). A scope `tag:<k>=` (untagged) is
 * read as global minus everything tagged `<k>` (`tag:<k>*`), as the local SpendIndex reads it.
 */

/** Sums a spend hash; `minus` is subtracted when its flag is 1 (the untagged scope). Shared by READ and RESERVE. */
const SPENT = `
local function total(key)
  local t = 0
  for _, v in ipairs(redis.call('HVALS', key)) do t = t + tonumber(v) end
  return t
end
local function spent(plus, minus, hasMinus)
  local s = total(plus)
  if hasMinus == '1' then s = s - total(minus) end
  if s < 0 then return 0 end
  return s
end
`;

/**
 * READ KEYS: per budget its spend hash, the hash subtracted from it (or the same key) and its
 * scope's held total. ARGV: per budget 1 when it subtracts. Returns spent, held per budget.
 */
export const READ_SCRIPT = `${SPENT}
local out = {}
for i = 1, #KEYS / 3 do
  out[2 * i - 1] = spent(KEYS[3 * i - 2], KEYS[3 * i - 1], ARGV[i])
  out[2 * i] = tonumber(redis.call('GET', KEYS[3 * i]) or '0')
end
return out
`;

/**
 * RESERVE KEYS: per scope its held total, holds hash and expiry set (n scopes), then per gate its
 * spend hash and subtracted hash. ARGV: hold id, micros, hold ms, n, then per gate its cap in
 * micro-dollars, the 1-based index of its scope and 1 when it subtracts. Holds under every scope
 * and returns 0, or holds nothing and returns the 1-based index of the first gate it would pass.
 */
export const RESERVE_SCRIPT = `${SPENT}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, micros, holdMs, n = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 1, n do
  local held, holds, expiry = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', expiry, '-inf', now)) do
    local m = redis.call('HGET', holds, old)
    if m then redis.call('DECRBY', held, tonumber(m)) end
    redis.call('HDEL', holds, old)
    redis.call('ZREM', expiry, old)
  end
end
local gates = (#ARGV - 4) / 3
for g = 1, gates do
  local cap, scope, hasMinus = tonumber(ARGV[3 * g + 2]), tonumber(ARGV[3 * g + 3]), ARGV[3 * g + 4]
  local used = spent(KEYS[3 * n + 2 * g - 1], KEYS[3 * n + 2 * g], hasMinus) + tonumber(redis.call('GET', KEYS[3 * scope - 2]) or '0')
  if used + micros > cap then return g end
end
for i = 1, n do
  redis.call('INCRBY', KEYS[3 * i - 2], micros)
  redis.call('HSET', KEYS[3 * i - 1], id, micros)
  redis.call('ZADD', KEYS[3 * i], now + holdMs, id)
  for k = 3 * i - 2, 3 * i do redis.call('PEXPIRE', KEYS[k], holdMs * 2) end
end
return 0
`;

/** RELEASE KEYS: per scope its held total, holds hash and expiry set. ARGV: hold id. Idempotent. */
export const RELEASE_SCRIPT = `
local id = ARGV[1]
for i = 1, #KEYS / 3 do
  local m = redis.call('HGET', KEYS[3 * i - 1], id)
  if m then
    redis.call('DECRBY', KEYS[3 * i - 2], tonumber(m))
    redis.call('HDEL', KEYS[3 * i - 1], id)
    redis.call('ZREM', KEYS[3 * i], id)
  end
end
return 1
`;

/** SPEND KEYS: the spend hashes one booked request counts under. ARGV: instance, micros, how long totals are kept (ms). */
export const SPEND_SCRIPT = `
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
end
return 1
`;
