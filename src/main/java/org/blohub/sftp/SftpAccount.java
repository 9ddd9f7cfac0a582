package org.blohub.sftp;

/**
 * One account on the SFTP drop box (DESIGN §8).
 *
 * @param id   the credentials id (office or agency id, or {@code hub}): its password is the account's
 * @param home the account's home, a directory directly under the SFTP root; empty for the hub, whose home is
 *             the root itself (it reaches every office's inbox and every agency's directory)
 * @param kind what the account is for
 */
public record SftpAccount(String id, String home, Kind kind) {

    public enum Kind { OFFICE, AGENCY, HUB }

    /** The sub-directories every office and agency home has. */
    public static final java.util.List<String> SUBDIRECTORIES = java.util.List.of("inbox", "done", "error", "receipts");

    public boolean isHub() {
        return kind == Kind.HUB;
    }
}
