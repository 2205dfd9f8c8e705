-- Publishes messages, in order: for each, checks its idempotency key, assigns the channel's next offset, appends the
-- message to the channel's history and sends it to every node subscribed to the channel, in one step. Redis runs one
-- script at a time, so all nodes see a channel's messages in offset order, a message is sent only once it is stored,
-- and a key is checked and its message published with nothing in between: two nodes publishing with one key at once
-- publish once.
--
-- KEYS[1] the index of channels; then three keys per message i (0, 1, …): KEYS[2+3i] the channel's meta hash,
--   KEYS[3+3i] its history stream, KEYS[4+3i] the message's idempotency key (the meta hash again when it has none)
-- ARGV[1] now (ms)  ARGV[2] history size  ARGV[3] history ttl (ms)  ARGV[4] how long the keys of an idle channel live
--   (ms)  ARGV[5] the idempotency window (ms)
-- then seven arguments per message i: ARGV[6+7i] channel name  [7+7i] data (compact JSON, no line break)
--   [8+7i] the channel's pub/sub topic  [9+7i] a new epoch, for when the channel needs one (open_channel)
--   [10+7i] the message's fingerprint, '' without an idempotency key  [11+7i] its publisher: door, then a line break
--   and the user if there is one  [12+7i] '1' if the message begins a group, '0' if it belongs to the one before
-- A group is one caller's list of messages (a node sends several callers' publishes in one call): a message whose key
-- was used for a different message ends its group, and the rest of that group is skipped; the next group goes on.
-- Returns one {status, epoch, offset, time} per message: status 'p' published now; 'd' published before with the
-- same key (epoch, offset and time are the first publish's); 'r' the key was used for a different message, and
-- nothing after it in its group was published; {'s'} skipped, after an 'r' in its group.
--
-- An idempotency key is a string: fingerprint, expiry (ms, by the publishing nodes' clocks), epoch, offset, time, one
-- per line; Redis drops it after the window (PX) too.
local index = KEYS[1]
local now, size, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local idle, window = tonumber(ARGV[4]), tonumber(ARGV[5])
local server = server_id()
local results = {}

-- The first publish of a key still within the window, or nil.
local function first_publish(key)
  local stored = redis.call('GET', key)
  if not stored then
    return nil
  end
  local fingerprint, expiry, epoch, offset, time =
    string.match(stored, '^([^\n]*)\n(%d+)\n([^\n]+)\n(%d+)\n(%d+)$')
  if not expiry or tonumber(expiry) <= now then
    return nil
  end
  return {fingerprint = fingerprint, epoch = epoch, offset = tonumber(offset), time = time}
end

-- The channels this call publishes to, by meta key, in the order first met: what is written once per channel per call
-- (the latest offset, the expiries, the index, trimming by age) is written after the loop.
local channels, order = {}, {}

local function channel_of(meta, stream, name, new_epoch)
  local c = channels[meta]
  if not c then
    local epoch, offset = open_channel(meta, stream, new_epoch, idle, server)
    c = {epoch = epoch, offset = offset, stream = stream, name = name}
    channels[meta] = c
    order[#order + 1] = meta
  end
  return c
end

local skipping = false
for i = 0, (#KEYS - 1) / 3 - 1 do
  local meta, stream, key = KEYS[2 + 3 * i], KEYS[3 + 3 * i], KEYS[4 + 3 * i]
  local a = 6 + 7 * i
  local name, data, topic, new_epoch, fingerprint, publisher, begins =
    ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6]
  if begins == '1' then
    skipping = false
  end
  local first = nil
  if not skipping and fingerprint ~= '' then
    first = first_publish(key)
  end
  if skipping then
    results[#results + 1] = {'s'}
  elseif first and first.fingerprint ~= fingerprint then
    results[#results + 1] = {'r', first.epoch, first.offset, first.time}
    skipping = true
  elseif first then
    results[#results + 1] = {'d', first.epoch, first.offset, first.time}
  else
    local c = channel_of(meta, stream, name, new_epoch)
    c.offset = c.offset + 1
    local offset = c.offset
    if size > 0 then
      -- MAXLEN ~ trims whole nodes of the stream, which is cheap; readers ignore what lies beyond `size` from the newest.
      redis.call('XADD', stream, 'MAXLEN', '~', size, id_of(offset), 't', ARGV[1], 'd', data, 'p', publisher)
    end
    local text = string.format('%d', offset)
    if fingerprint ~= '' then
      redis.call('SET', key, fingerprint .. '\n' .. string.format('%d', now + window) .. '\n' .. c.epoch .. '\n' .. text
        .. '\n' .. ARGV[1], 'PX', window)
    end
    -- Data holds no line break (compact JSON escapes them), so the publisher, which may, can follow it.
    redis.call('PUBLISH', topic, c.epoch .. '\n' .. text .. '\n' .. ARGV[1] .. '\n' .. data .. '\n' .. publisher)
    results[#results + 1] = {'p', c.epoch, offset, ARGV[1]}
  end
end

for _, meta in ipairs(order) do
  local c = channels[meta]
  redis.call('HSET', meta, 'offset', c.offset)
  redis.call('PEXPIRE', meta, idle)
  if size > 0 then
    expire(c.stream, now - ttl)
    -- A stream whose newest message is past the ttl holds nothing worth keeping.
    redis.call('PEXPIRE', c.stream, ttl)
  end
  redis.call('ZADD', index, now, c.name)
end

redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.format('%d', now - idle))
return results
