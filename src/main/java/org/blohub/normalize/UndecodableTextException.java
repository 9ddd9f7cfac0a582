package org.blohub.normalize;

import java.io.IOException;

/** Bytes that are not valid in the input's charset, with where they stand. */
public class UndecodableTextException extends IOException {

    private final Position at;

    public UndecodableTextException(String message, Position at) {
        super(message);
        this.at = at;
    }

    public Position at() {
        return at;
    }
}
