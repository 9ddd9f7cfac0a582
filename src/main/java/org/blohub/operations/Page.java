package org.blohub.operations;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page's items, in the listing's order
 * @param page  0-based page number
 * @param size  the page size asked for
 * @param total how many items the whole listing has
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public Page {
        items = List.copyOf(items);
    }

    /** The window {@code [first, first + size)} a page covers; rejects a negative page or a size outside 1..MAX. */
    public static long first(int page, int size) {
        check(page, size);
        return (long) page * size;
    }

    public static void check(int page, int size) {
        if (page < 0) {
            throw new IllegalArgumentException("page must be >= 0: " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be 1.." + MAX_SIZE + ": " + size);
        }
    }
}
