package io.duplex.config;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An MQTT topic filter as MQTT defines it: levels separated by {@code /}, {@code +} for any one level, {@code #} (last)
 * for any number of levels, {@code plant/+/temperature}, {@code fleet/#}. Checked when read, so that a filter the broker
 * would refuse fails the start instead.
 */
public final class TopicFilter {
    /** MQTT's limit on a topic or filter: 65,535 bytes of UTF-8. */
    static final int MAX_BYTES = 65_535;

    private final String text;
    private final List<String> levels;

    private TopicFilter(String text) {
        this.text = text;
        this.levels = List.of(text.split("/", -1));
    }

    /** Reads a filter; throws IllegalArgumentException saying what MQTT does not allow in it. */
    public static TopicFilter parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a topic filter is empty");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("topic filter '" + abbreviate(text) + "' is longer than MQTT's 65,535 bytes");
        }
        if (text.startsWith("$share/") || text.startsWith("$queue/")) {
            throw new IllegalArgumentException("topic filter '" + text + "' names a shared subscription itself; give the plain "
                    + "filter (the bridge shares it among the nodes through mqtt.in.group)");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("topic filter '" + abbreviate(text) + "' holds a NUL character");
        }
        String[] levels = text.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#") && i != levels.length - 1) {
                throw new IllegalArgumentException("topic filter '" + text + "' has # before its last level; # must be last");
            }
            if (!level.equals("#") && !level.equals("+") && (level.contains("#") || level.contains("+"))) {
                throw new IllegalArgumentException("topic filter '" + text + "' has level '" + level + "': + and # must each "
                        + "stand alone in a level");
            }
        }
        return new TopicFilter(text);
    }

    /** Whether a topic name (no wildcards) matches this filter, as the broker matches it. */
    public boolean matches(String topic) {
        String[] names = topic.split("/", -1);
        if (topic.startsWith("$") && (levels.get(0).equals("#") || levels.get(0).equals("+"))) {
            return false; // MQTT: wildcards at the first level do not match $SYS and other $ topics
        }
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (i >= names.length || (!level.equals("+") && !level.equals(names[i]))) {
                return false;
            }
        }
        return names.length == levels.size();
    }

    /** Whether every topic that {@code other} matches is matched by this filter too. */
    public boolean covers(TopicFilter other) {
        for (int i = 0; i < levels.size(); i++) {
            String mine = levels.get(i);
            if (mine.equals("#")) {
                return true;
            }
            if (i >= other.levels.size()) {
                return false;
            }
            String theirs = other.levels.get(i);
            if (theirs.equals("#") || (!mine.equals("+") && (theirs.equals("+") || !mine.equals(theirs)))) {
                return false;
            }
        }
        return other.levels.size() == levels.size();
    }

    /**
     * Whether this filter could match a topic that {@code template} renders for some channel: {@code {channel}} stands
     * for one or more levels of anything (a level holding it with other text too, conservatively). MQTT 3.1.1 needs it:
     * there the bridge cannot mark the messages it publishes, so a filter that brings them back must be refused.
     */
    public boolean mayMatch(TopicTemplate template) {
        return overlaps(0, template.toString().split("/", -1), 0);
    }

    private boolean overlaps(int i, String[] topic, int j) {
        if (i < levels.size() && levels.get(i).equals("#")) {
            return true;
        }
        if (j == topic.length || i == levels.size()) {
            return j == topic.length && i == levels.size();
        }
        if (topic[j].contains(TopicTemplate.CHANNEL)) {
            for (int k = i + 1; k <= levels.size(); k++) {
                if (levels.get(k - 1).equals("#") || overlaps(k, topic, j + 1)) {
                    return true;
                }
            }
            return false;
        }
        String level = levels.get(i);
        return (level.equals("+") || level.equals(topic[j])) && overlaps(i + 1, topic, j + 1);
    }

    /** How many levels a matching topic has: exactly this many, or at least this many less one with a trailing #. */
    public int levels() {
        return levels.size();
    }

    /** Whether it ends with {@code #}: matching topics may have more levels than the filter. */
    public boolean multiLevel() {
        return levels.get(levels.size() - 1).equals("#");
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
