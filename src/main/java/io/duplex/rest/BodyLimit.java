package io.duplex.rest;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Sizes;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds every request body by {@code frame.max.bytes}, the same bound as a WebSocket frame, so a huge or
 * endless body is refused (413) while it is read instead of filling the heap.
 */
@Provider
@ApplicationScoped
public class BodyLimit implements ReaderInterceptor {
    private final long max;

    protected BodyLimit() {
        // for CDI's client proxy
        max = 0;
    }

    @Inject
    public BodyLimit(DuplexConfig config) {
        this.max = config.frameMaxBytes();
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        String length = context.getHeaders().getFirst("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19 && Long.parseLong(length) > max) {
            throw new DuplexException(ErrorCode.TOO_LARGE, new TooLarge(max).getMessage());
        }
        context.setInputStream(new Bounded(context.getInputStream(), max));
        return context.proceed();
    }

    /** The body is larger than allowed, found while reading it (the JSON reader wraps it; the mapper unwraps it). */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("the request body is larger than " + Sizes.format(max) + " (frame.max.bytes)");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final class Bounded extends FilterInputStream {
        private final long max;
        private long read;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new TooLarge(max);
            }
        }
    }
}
