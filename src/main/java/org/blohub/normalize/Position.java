package org.blohub.normalize;

/** A place in an input: line (1-based; for CSV the row's line) and column (0 when unknown). */
public record Position(int line, int column) {

    public static final Position UNKNOWN = new Position(0, 0);

    public static Position line(int line) {
        return new Position(line, 0);
    }

    public boolean known() {
        return line > 0;
    }

    /** {@code LINE[:COL]}, as error lines print it. */
    @Override
    public String toString() {
        return column > 0 ? line + ":" + column : String.valueOf(line);
    }
}
