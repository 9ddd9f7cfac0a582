package org.blohub.office;

import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.List;

/**
 * A Border Liaison Office that sends alerts (config/offices.yaml).
 *
 * @param id            e.g. {@code VN-LAOCAI}; also its JMS user, SFTP account and credentials id
 * @param country       ISO 3166-1 alpha-2
 * @param name          display name
 * @param timeZone      zone for dates sent without an offset
 * @param language      BCP-47 tag of the office's working language
 * @param charset       charset assumed when an input declares none
 * @param counterpart   the office across the border it pairs with, if any
 * @param emailSenders  addresses allowed to send alerts for it by mail
 * @param sftpDirectory its home on the SFTP drop box
 */
public record Office(String id, String country, String name, ZoneId timeZone, String language, Charset charset,
                     String counterpart, List<String> emailSenders, String sftpDirectory) {

    public Office {
        emailSenders = emailSenders == null ? List.of() : List.copyOf(emailSenders);
    }
}
