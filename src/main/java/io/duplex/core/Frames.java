package io.duplex.core;

import io.duplex.channel.ChannelMessage;

/**
 * One message's frames during one fan-out: encoded once per framing, however many subscribers share it. Almost every
 * fan-out meets one framing (v1) or two, so a linear look over a few slots beats a map.
 */
final class Frames {
    private final ChannelMessage message;
    private Framing firstFraming;
    private OutboundFrame first;
    /** Framings after the first, and their frames, side by side; null until a second framing is met. */
    private Framing[] framings;
    private OutboundFrame[] frames;
    private int more;

    Frames(ChannelMessage message) {
        this.message = message;
    }

    /** The frame for this subscription: shared with every subscriber of its framing, unless the framing says not. */
    OutboundFrame of(Subscription subscription) {
        Framing framing = subscription.framing();
        if (!framing.shared()) {
            return framing.message(message, subscription.tag());
        }
        if (framing == firstFraming) {
            return first;
        }
        if (firstFraming == null) {
            firstFraming = framing;
            first = framing.message(message, null);
            return first;
        }
        for (int i = 0; i < more; i++) {
            if (framings[i] == framing) {
                return frames[i];
            }
        }
        if (framings == null || more == framings.length) {
            int size = framings == null ? 4 : framings.length * 2;
            framings = framings == null ? new Framing[size] : java.util.Arrays.copyOf(framings, size);
            frames = frames == null ? new OutboundFrame[size] : java.util.Arrays.copyOf(frames, size);
        }
        OutboundFrame frame = framing.message(message, null);
        framings[more] = framing;
        frames[more] = frame;
        more++;
        return frame;
    }
}
