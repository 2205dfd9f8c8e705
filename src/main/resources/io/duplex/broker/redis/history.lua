-- Reads a channel's epoch, latest offset and part of its history in one step, so that the three agree.
--
-- KEYS[1] the channel's meta hash (epoch, offset)  KEYS[2] its history stream
-- ARGV[1] since: the messages after this offset, or -1 for the newest  ARGV[2] limit  ARGV[3] now (ms)
-- ARGV[4] history size  ARGV[5] history ttl (ms)  ARGV[6] the epoch to start if the channel has none
-- ARGV[7] how long the keys of an idle channel live (ms)
-- Returns {epoch, offset, messages}: messages oldest first after `since`, newest first for -1.
local meta, stream = KEYS[1], KEYS[2]
local since, limit, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local size, ttl, idle = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[7])

local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  -- Nothing published yet, or the history was lost: start the epoch that the next publish continues, so that a
  -- subscriber told {epoch, 0} now can recover from it later.
  epoch = ARGV[6]
  redis.call('UNLINK', stream)
  redis.call('HSET', meta, 'epoch', epoch, 'offset', 0)
  redis.call('PEXPIRE', meta, idle)
  return {epoch, 0, {}}
end
local offset = tonumber(redis.call('HGET', meta, 'offset'))

if limit == 0 or size == 0 or offset == 0 or since >= offset then
  return {epoch, offset, {}}
end
expire(stream, now - ttl)
-- The oldest offset that retention by count keeps.
local first = math.max(offset - size, 0) + 1
local messages
if since < 0 then
  messages = redis.call('XREVRANGE', stream, '+', id_of(first), 'COUNT', limit)
else
  messages = redis.call('XRANGE', stream, id_of(math.max(since + 1, first)), '+', 'COUNT', limit)
end
return {epoch, offset, messages}
