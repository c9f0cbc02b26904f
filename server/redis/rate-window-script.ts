/**
 * An exact sliding window per limit, atomic in Redis: a sorted set of the requests counted in the
 * last window (scored by Redis's own clock, so instances with skewed clocks agree) and their
 * token total. Each member ends in `:<tokens>`, so trimming an expired request also takes its
 * tokens off. Memory per limit is bounded by rpm, since only admitted requests are added.
 *
 * KEYS: per limit, its set and its token total. ARGV: window ms, member, mode ('0': check and
 * count, '1': count without checking, '2': check only, for /v1/decide), then per limit rpm, tpm (0: off), tokens. Returns per limit 1 if it was
 * limited (and not counted), else 0.
 */
export const ADMIT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local member = ARGV[2]
local force = ARGV[3] == '1'
local peek = ARGV[3] == '2'
local out = {}
for i = 1, #KEYS / 2 do
  local z, s = KEYS[2 * i - 1], KEYS[2 * i]
  local base = 3 + (i - 1) * 3
  local rpm, tpm, tokens = tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  local cutoff = now - window
  local expired = redis.call('ZRANGEBYSCORE', z, '-inf', cutoff)
  if #expired > 0 then
    local freed = 0
    for _, m in ipairs(expired) do freed = freed + (tonumber(string.match(m, ':(%d+)$')) or 0) end
    redis.call('ZREMRANGEBYSCORE', z, '-inf', cutoff)
    if freed > 0 then redis.call('DECRBY', s, freed) end
  end
  local used = tonumber(redis.call('GET', s) or '0')
  if not force and (redis.call('ZCARD', z) >= rpm or (tpm > 0 and used >= tpm)) then
    out[i] = 1
  elseif peek then
    out[i] = 0
  else
    redis.call('ZADD', z, now, member)
    redis.call('INCRBY', s, tokens)
    redis.call('PEXPIRE', z, window)
    redis.call('PEXPIRE', s, window)
    out[i] = 0
  end
end
return out
`;

/** Takes one admitted request back off each limit (the path taken did not count it). KEYS as above; ARGV: member, tokens. */
export const REFUND_SCRIPT = `
for i = 1, #KEYS / 2 do
  if redis.call('ZREM', KEYS[2 * i - 1], ARGV[1]) == 1 then redis.call('DECRBY', KEYS[2 * i], tonumber(ARGV[2])) end
end
return 1
`;
