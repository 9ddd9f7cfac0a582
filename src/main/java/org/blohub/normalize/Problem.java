package org.blohub.normalize;

/**
 * One thing wrong with one alert: the canonical field it concerns ({@code areas[0].country};
 * empty for the alert as a whole), what is wrong, and where in the input.
 */
public record Problem(String field, String message, Position at) {

    public Problem {
        field = field == null ? "" : field;
        at = at == null ? Position.UNKNOWN : at;
    }

    public static Problem of(String field, String message) {
        return new Problem(field, message, Position.UNKNOWN);
    }

    public Problem at(Position position) {
        return new Problem(field, message, position);
    }

    /** {@code FIELD: message}, or the message alone when it concerns no one field. */
    public String text() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
