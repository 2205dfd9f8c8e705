package io.duplex.core;

import io.duplex.channel.ChannelMessage;
import java.util.Arrays;

/**
 * One message's frames during one fan-out: encoded once per framing, however many subscribers share it. Almost every
 * fan-out meets one framing (v1) or two, so a linear look over a few slots beats a map.
 */
final class Frames {
    private final ChannelMessage message;
    /** Framings met so far, each with its shared frame (null when not shared) and the tag it excludes (usually null). */
    private Framing[] framings = new Framing[2];
    private OutboundFrame[] frames = new OutboundFrame[2];
    private String[] excluded = new String[2];
    private int count;

    Frames(ChannelMessage message) {
        this.message = message;
    }

    /**
     * The frame for this subscription: shared with every subscriber of its framing, unless the framing says not; null
     * when the framing excludes this subscription from the message ({@link Framing#excluded}).
     */
    OutboundFrame of(Subscription subscription) {
        Framing framing = subscription.framing();
        int slot = slot(framing);
        String tag = subscription.tag();
        if (tag != null && tag.equals(excluded[slot])) {
            return null;
        }
        return framing.shared() ? frames[slot] : framing.message(message, tag);
    }

    /** The slot of the framing, filled on first use with its shared frame and the tag it excludes. */
    private int slot(Framing framing) {
        for (int i = 0; i < count; i++) {
            if (framings[i] == framing) {
                return i;
            }
        }
        if (count == framings.length) {
            framings = Arrays.copyOf(framings, count * 2);
            frames = Arrays.copyOf(frames, count * 2);
            excluded = Arrays.copyOf(excluded, count * 2);
        }
        framings[count] = framing;
        frames[count] = framing.shared() ? framing.message(message, null) : null;
        excluded[count] = framing.excluded(message);
        return count++;
    }
}
