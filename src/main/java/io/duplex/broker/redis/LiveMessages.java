package io.duplex.broker.redis;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;
import java.time.Instant;

/**
 * Reads the pub/sub message that publish.lua sends: epoch, offset, time (ms), data and publisher, one per line (the
 * publisher last, since its user may hold a line break; data never does). It carries everything a subscriber needs, so
 * no node reads Redis again to deliver a message, and the data is passed on as the JSON text it was published as.
 */
final class LiveMessages {
    private LiveMessages() {
    }

    /** The message, or throws IllegalArgumentException for text that publish.lua did not write. */
    static ChannelMessage decode(ChannelName channel, String text) {
        int epochEnd = text.indexOf('\n');
        int offsetEnd = epochEnd < 0 ? -1 : text.indexOf('\n', epochEnd + 1);
        int timeEnd = offsetEnd < 0 ? -1 : text.indexOf('\n', offsetEnd + 1);
        if (epochEnd <= 0 || timeEnd < 0) {
            throw new IllegalArgumentException("not epoch, offset, time, data and publisher on separate lines");
        }
        int dataEnd = text.indexOf('\n', timeEnd + 1);
        String data = dataEnd < 0 ? text.substring(timeEnd + 1) : text.substring(timeEnd + 1, dataEnd);
        Publisher publisher = dataEnd < 0 ? Publisher.UNKNOWN : PublisherText.decode(text.substring(dataEnd + 1));
        try {
            return new ChannelMessage(channel, text.substring(0, epochEnd),
                    Long.parseLong(text, epochEnd + 1, offsetEnd, 10),
                    Payload.stored(data),
                    Instant.ofEpochMilli(Long.parseLong(text, offsetEnd + 1, timeEnd, 10)),
                    publisher);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("offset or time is not a number");
        }
    }
}
