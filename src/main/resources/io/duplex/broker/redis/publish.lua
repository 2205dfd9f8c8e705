-- Publishes one message: assigns the channel's next offset, appends the message to the channel's history and sends
-- it to every node subscribed to the channel, in one step. Redis runs one script at a time, so all nodes see a
-- channel's messages in offset order, and a message is sent only once it is stored.
--
-- KEYS[1] the channel's meta hash  KEYS[2] its history stream  KEYS[3] the index of channels
-- ARGV[1] channel name  ARGV[2] data (JSON)  ARGV[3] now (ms)  ARGV[4] history size  ARGV[5] history ttl (ms)
-- ARGV[6] a new epoch, for when the channel needs one (open_channel)  ARGV[7] the channel's pub/sub topic
-- ARGV[8] how long the keys of an idle channel live (ms)
-- Returns {epoch, offset}.
local meta, stream, index = KEYS[1], KEYS[2], KEYS[3]
local now, size, ttl, idle = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[8])

local epoch = open_channel(meta, stream, ARGV[6], idle)
local offset = redis.call('HINCRBY', meta, 'offset', 1)
redis.call('PEXPIRE', meta, idle)

if size > 0 then
  -- MAXLEN ~ trims whole nodes of the stream, which is cheap; readers ignore what lies beyond `size` from the newest.
  redis.call('XADD', stream, 'MAXLEN', '~', size, id_of(offset), 't', ARGV[3], 'd', ARGV[2])
  expire(stream, now - ttl)
  -- A stream whose newest message is past the ttl holds nothing worth keeping.
  redis.call('PEXPIRE', stream, ttl)
end

redis.call('ZADD', index, now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.format('%d', now - idle))
redis.call('PUBLISH', ARGV[7], epoch .. '\n' .. string.format('%d', offset) .. '\n' .. ARGV[3] .. '\n' .. ARGV[2])
return {epoch, offset}
