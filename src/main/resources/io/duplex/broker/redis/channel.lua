-- What the engine's scripts share about a channel (RedisScript puts it before each of them).
-- A message is stored at stream id OFFSET-0 with its time (ms) in field t and its data in field d, so a stream is
-- ordered by offset and, as far as the publishing nodes' clocks agree, by time. The channel's meta hash holds its
-- epoch, its latest offset, and the run id of the Redis process that last wrote it (server).

local function offset_of(id)
  return tonumber(string.match(id, '^(%d+)'))
end

local function id_of(offset)
  return string.format('%d-0', offset)
end

-- The run id of this Redis process, which open_channel compares with the one that last wrote a channel.
local function server_id()
  return string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
end

-- The channel's epoch and latest offset, after starting a new epoch wherever the history may not be continuous:
--  * the channel has no meta hash: it is new, or its keys were lost (flushed, evicted). Epoch and offset live in one
--    hash, so they are lost together: a new history starts at offset 0, and what is left of an older stream belongs
--    to no epoch.
--  * the hash was last written by another Redis process: this one restarted, or took over from a master that
--    failed. It may lack the last writes its predecessor acknowledged (persistence once a second, asynchronous
--    replication), and handing out their offsets again under the same epoch would hide the loss. The history it has
--    continues under a new epoch, so clients holding the old one are told recovered:false.
local function open_channel(meta, stream, new_epoch, idle, server)
  local fields = redis.call('HMGET', meta, 'epoch', 'offset', 'server')
  local epoch, offset, writer = fields[1], tonumber(fields[2]) or 0, fields[3]
  if not epoch then
    epoch, offset = new_epoch, 0
    redis.call('UNLINK', stream)
    redis.call('HSET', meta, 'epoch', epoch, 'offset', 0, 'server', server)
    redis.call('PEXPIRE', meta, idle)
  elseif writer ~= server then
    epoch = new_epoch
    redis.call('HSET', meta, 'epoch', epoch, 'server', server)
  end
  return epoch, offset
end

-- Drops the messages older than `oldest` (ms) from the head of the stream. Costs one lookup when the head is fresh;
-- otherwise a binary search for the first fresh message and one XTRIM MINID, so that a stream that sat idle is not
-- walked message by message inside Redis. A message out of time order (clock skew between nodes) goes with its
-- neighbours, never leaving a hole in the middle of the history.
local function expire(stream, oldest)
  local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
  if not first or tonumber(first[2][2]) >= oldest then
    return
  end
  local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
  if tonumber(last[2][2]) < oldest then
    redis.call('UNLINK', stream)
    return
  end
  -- Messages up to `lo` are stale; the first message at or after `hi` is fresh.
  local lo, hi = offset_of(first[1]), offset_of(last[1])
  while hi - lo > 1 do
    local mid = math.floor((lo + hi) / 2)
    local entry = redis.call('XRANGE', stream, id_of(mid), '+', 'COUNT', 1)[1]
    local at = offset_of(entry[1])
    if at >= hi or tonumber(entry[2][2]) >= oldest then
      hi = mid
    else
      lo = at
    end
  end
  redis.call('XTRIM', stream, 'MINID', id_of(hi))
end
