package io.duplex.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** How the Pusher apps of {@code pusher.apps} are read: {@code ID:KEY:SECRET[:OPTION…]}, comma-separated. */
final class PusherValues {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern CONNECTIONS = Pattern.compile("connections=(\\d{1,9})");

    private PusherValues() {
    }

    static ValueType<List<PusherApp>> apps() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "comma-separated ID:KEY:SECRET[:OPTION…] apps (ID 1-32 and KEY 1-64 characters of A-Z a-z 0-9 _ -, "
                        + "SECRET at least 8 characters without , or :; OPTION: disabled, or connections=N), e.g. "
                        + "1001:app-key:app-secret,1002:other-key:other-secret:connections=500";
            }

            @Override
            boolean secret() {
                return true;
            }

            @Override
            List<PusherApp> parse(String text) {
                List<PusherApp> apps = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                Set<String> keys = new HashSet<>();
                String[] items = text.split(",", -1);
                for (int i = 0; i < items.length; i++) {
                    // Problems name the app by its place, never by its text: the text holds its secret.
                    String where = " (app " + (i + 1) + " of " + items.length + ")";
                    String[] parts = items[i].trim().split(":", -1);
                    if (parts.length < 3) {
                        throw new IllegalArgumentException(expected() + where);
                    }
                    String id = parts[0];
                    String key = parts[1];
                    String secret = parts[2];
                    if (!ID.matcher(id).matches() || !NAME.matcher(key).matches() || secret.length() < 8) {
                        throw new IllegalArgumentException(expected() + where);
                    }
                    boolean enabled = true;
                    int connections = 0;
                    for (int p = 3; p < parts.length; p++) {
                        var m = CONNECTIONS.matcher(parts[p]);
                        if (parts[p].equals("disabled")) {
                            enabled = false;
                        } else if (m.matches()) {
                            connections = Integer.parseInt(m.group(1));
                        } else {
                            throw new IllegalArgumentException(expected() + where + ": unknown option");
                        }
                    }
                    if (!ids.add(id)) {
                        throw new IllegalArgumentException(expected() + where + ": app id " + id + " is named twice");
                    }
                    if (!keys.add(key)) {
                        throw new IllegalArgumentException(expected() + where + ": two apps have the same key");
                    }
                    apps.add(new PusherApp(id, key, new Secret(secret), enabled, connections));
                }
                return List.copyOf(apps);
            }
        };
    }
}
