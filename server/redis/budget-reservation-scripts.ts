/**
 * Budget reservations in Redis, atomic per call. Per scope key four keys: spent micro-dollars
 * (settled costs), held micro-dollars (requests in flight), a hash of each hold's amount and a
 * sorted set of when each hold expires, so the holds of an instance that died mid-request are
 * given back instead of blocking the budget for ever. Times come from Redis's clock.
 *
 * RESERVE KEYS: per scope spent, held, holds, expiry. ARGV: hold id, micros, hold ms, then each
 * scope's limit in micro-dollars. Returns 0 when held under every scope, else the 1-based index of
 * the first scope it would overrun (and holds nothing).
 */
export const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, micros, holdMs = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local n = #KEYS / 4
for i = 1, n do
  local held, holds, expiry = KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', expiry, '-inf', now)) do
    local m = redis.call('HGET', holds, old)
    if m then redis.call('DECRBY', held, tonumber(m)) end
    redis.call('HDEL', holds, old)
    redis.call('ZREM', expiry, old)
  end
end
for i = 1, n do
  local spent = tonumber(redis.call('GET', KEYS[4 * i - 3]) or '0')
  local held = tonumber(redis.call('GET', KEYS[4 * i - 2]) or '0')
  if spent + held + micros > tonumber(ARGV[3 + i]) then return i end
end
for i = 1, n do
  redis.call('INCRBY', KEYS[4 * i - 2], micros)
  redis.call('HSET', KEYS[4 * i - 1], id, micros)
  redis.call('ZADD', KEYS[4 * i], now + holdMs, id)
  redis.call('PEXPIRE', KEYS[4 * i - 2], holdMs * 2)
  redis.call('PEXPIRE', KEYS[4 * i - 1], holdMs * 2)
  redis.call('PEXPIRE', KEYS[4 * i], holdMs * 2)
end
return 0
`;

/**
 * Gives a hold back and, when ARGV[2] >= 0, books that actual cost as spent (even if the hold had
 * expired meanwhile: the money was spent). KEYS as above. ARGV: hold id, actual micros or -1,
 * how long spent totals are kept (ms).
 */
export const SETTLE_SCRIPT = `
local id, actual, keepMs = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, #KEYS / 4 do
  local m = redis.call('HGET', KEYS[4 * i - 1], id)
  if m then
    redis.call('DECRBY', KEYS[4 * i - 2], tonumber(m))
    redis.call('HDEL', KEYS[4 * i - 1], id)
    redis.call('ZREM', KEYS[4 * i], id)
  end
  if actual >= 0 then
    redis.call('INCRBY', KEYS[4 * i - 3], actual)
    redis.call('PEXPIRE', KEYS[4 * i - 3], keepMs)
  end
end
return 1
`;
