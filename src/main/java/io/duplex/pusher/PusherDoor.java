package io.duplex.pusher;

import io.duplex.channel.Door;

/** The door of Pusher's clients: messages triggered through the HTTP API and client events are published through it. */
public final class PusherDoor {
    public static final Door DOOR = new Door("pusher");

    private PusherDoor() {
    }
}
