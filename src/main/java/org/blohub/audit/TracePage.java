package org.blohub.audit;

import java.util.List;

/**
 * One page of a search: {@code items} newest first (by received time), {@code page} 0-based, {@code total} the
 * number of items matching in all pages.
 */
public record TracePage(List<TraceItem> items, int page, int size, long total) {

    public TracePage {
        items = List.copyOf(items);
    }
}
