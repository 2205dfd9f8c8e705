package io.duplex.broker;

import io.duplex.channel.ChannelMessage;
import java.util.List;

/**
 * Part of a channel's history: the channel's epoch and latest offset at the time of reading, and the
 * messages asked for, oldest first.
 */
public record History(String epoch, long offset, List<ChannelMessage> messages) {
    public History {
        messages = List.copyOf(messages);
    }
}
