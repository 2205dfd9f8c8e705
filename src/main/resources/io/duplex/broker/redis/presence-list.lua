-- Lists a channel's presence and drops the entries that their node stopped refreshing (it died or lost Redis).
--
-- KEYS[1] the channel's presence hash: session -> "EXPIRY-MS:user", or "EXPIRY-MS" for an anonymous session
-- ARGV[1] now (ms)
-- Returns {session, value, session, value, ...} of the live entries.
local now = tonumber(ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
local live, stale = {}, {}
for i = 1, #all, 2 do
  local expiry = tonumber(string.match(all[i + 1], '^(%d+)'))
  if expiry and expiry > now then
    live[#live + 1] = all[i]
    live[#live + 1] = all[i + 1]
  else
    stale[#stale + 1] = all[i]
  end
end
-- In slices: unpack() of thousands of arguments would overflow Lua's stack.
for i = 1, #stale, 500 do
  redis.call('HDEL', KEYS[1], unpack(stale, i, math.min(i + 499, #stale)))
end
return live
