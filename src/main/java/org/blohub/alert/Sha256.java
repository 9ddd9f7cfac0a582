package org.blohub.alert;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lower-case hex, as the hub writes digests (rawSha256, attachments, dedupe keys). */
public final class Sha256 {

    private Sha256() {
    }

    /** The digest of {@code bytes} in hex; null for null. */
    public static String hex(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
