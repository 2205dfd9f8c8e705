package io.duplex.server;

/**
 * TLS material that cannot be used: a missing file, a wrong password, a key that does not match its
 * certificate. Its message is one line that names the file and what is wrong, never a password; it has no
 * cause, because the start prints the deepest cause's message and these sentences are the ones to print.
 */
final class TlsException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsException(String message) {
        super(message, null, false, false);
    }
}
