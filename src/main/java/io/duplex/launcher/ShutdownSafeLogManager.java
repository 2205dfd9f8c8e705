package io.duplex.launcher;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that its own shutdown hook no longer discards the handlers while Duplex is
 * still stopping: without this, the lines an operator most wants on SIGTERM ("closed 12 sessions with 1001",
 * "stopped in 140 ms") would race the JDK's hook and be lost. Installed by {@link Launcher} before anything logs.
 */
public final class ShutdownSafeLogManager extends LogManager {

    @Override
    public void reset() {
        // The JDK calls reset() from its shutdown hook thread, LogManager$Cleaner; ignore that call only.
        if (!Thread.currentThread().getClass().getName().startsWith(LogManager.class.getName())) {
            super.reset();
        }
    }
}
