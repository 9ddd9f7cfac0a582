package org.blohub.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Traffic Light Protocol 2.0 labels, from the most open to the most restricted. */
public enum Tlp {
    CLEAR("TLP:CLEAR"), GREEN("TLP:GREEN"), AMBER("TLP:AMBER"), AMBER_STRICT("TLP:AMBER+STRICT"), RED("TLP:RED");

    private final String label;

    Tlp(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** Reads a label; TLP 1.0's {@code TLP:WHITE} is today's {@code TLP:CLEAR}. */
    @JsonCreator
    public static Tlp of(String label) {
        String l = label.trim().toUpperCase(java.util.Locale.ROOT);
        if (l.equals("TLP:WHITE")) {
            return CLEAR;
        }
        for (Tlp t : values()) {
            if (t.label.equals(l)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a TLP label: " + label);
    }

    /** Whether an alert with this label may go to a recipient cleared up to {@code highest}. */
    public boolean clearedFor(Tlp highest) {
        return ordinal() <= highest.ordinal();
    }
}
