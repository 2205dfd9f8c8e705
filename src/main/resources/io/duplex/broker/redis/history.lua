-- Reads a channel's epoch, latest offset and part of its history in one step, so that the three agree.
--
-- KEYS[1] the channel's meta hash  KEYS[2] its history stream
-- ARGV[1] since: the messages after this offset, or -1 for the newest  ARGV[2] limit  ARGV[3] now (ms)
-- ARGV[4] history size  ARGV[5] history ttl (ms)  ARGV[6] a new epoch, for when the channel needs one (open_channel)
-- ARGV[7] how long the keys of an idle channel live (ms)
-- Returns {epoch, offset, messages}: messages oldest first after `since`, newest first for -1.
local meta, stream = KEYS[1], KEYS[2]
local since, limit, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local size, ttl, idle = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[7])

local epoch, offset = open_channel(meta, stream, ARGV[6], idle, server_id())
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
