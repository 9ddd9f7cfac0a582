package org.blohub.normalize;

/**
 * Bounds on what one input may cost to read. A CSV batch is streamed, so its total size is not
 * bounded, only each row; a JSON or XML document is read whole and bounded by {@code maxDocumentBytes}.
 */
public record InputLimits(long maxDocumentBytes, int maxDepth, int maxFieldChars, int maxRowChars) {

    public static final InputLimits DEFAULT = new InputLimits(10L * 1024 * 1024, 32, 200_000, 1_000_000);
}
