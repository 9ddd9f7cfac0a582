package org.blohub.normalize;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a draft stood in the input, keyed by JSON pointer ({@code /areas/0/country}),
 * so that a problem found later (by the schema, by a rule) can name its line.
 */
public final class SourceMap {

    private final Map<String, Position> positions = new HashMap<>();
    private final Position start;

    public SourceMap(Position start) {
        this.start = start == null ? Position.UNKNOWN : start;
    }

    public void put(String pointer, Position position) {
        positions.putIfAbsent(pointer, position);
    }

    /** The position of the pointer, else of its nearest ancestor that has one, else the alert's start. */
    public Position find(String pointer) {
        String p = pointer;
        while (!p.isEmpty()) {
            Position found = positions.get(p);
            if (found != null) {
                return found;
            }
            int cut = p.lastIndexOf('/');
            p = cut <= 0 ? "" : p.substring(0, cut);
        }
        return start;
    }

    public Position start() {
        return start;
    }
}
