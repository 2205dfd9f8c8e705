-- Retention by age, shared by the scripts that write and read a channel's history (RedisScript puts it first).
-- A message is stored at stream id OFFSET-0 with its time (ms) in field t, so a stream is ordered by offset and,
-- as far as the publishing nodes' clocks agree, by time.

local function offset_of(id)
  return tonumber(string.match(id, '^(%d+)'))
end

local function id_of(offset)
  return string.format('%d-0', offset)
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
