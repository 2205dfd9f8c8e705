package io.duplex.config;

import java.util.List;

/** Configuration that cannot be used; the message names every wrong setting, its value and where it came from. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Each problem as one sentence. */
    public List<String> problems() {
        return problems;
    }
}
