package io.duplex.stomp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of one frame, in order. When a header is repeated, the first value is the one that counts (STOMP 1.2);
 * the later ones are dropped when the frame is read.
 */
public final class StompHeaders {
    private final Map<String, String> values;

    private StompHeaders(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Headers from name-value pairs, for tests and small frames: {@code of("id", "0", "destination", "/topic/a")}. */
    public static StompHeaders of(String... namesAndValues) {
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** The header's value, or null. */
    public String get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public int size() {
        return values.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StompHeaders other && other.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Collects headers in order; a repeated name keeps its first value. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds the header unless it is already there; null values are skipped. */
        public Builder add(String name, String value) {
            if (value != null) {
                values.putIfAbsent(name, value);
            }
            return this;
        }

        public StompHeaders build() {
            return new StompHeaders(new LinkedHashMap<>(values));
        }
    }
}
