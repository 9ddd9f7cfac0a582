package org.blohub.sftp;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Prepares one alert from {@code hub.outbox.<AGENCY>} for the agency's SFTP directory: the rendering as UTF-8 bytes,
 * named {@code alert-<alertId>.<ext>}, and no other header: nothing from the JMS side reaches the SFTP producer.
 */
public final class SftpDelivery implements Processor {

    /** Exchange property: the file extension of the agency's rendering (json, xml, cap). */
    public static final String EXTENSION = "bloExtension";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    @Override
    public void process(Exchange exchange) {
        Message m = exchange.getIn();
        String alertId = m.getHeader("bloAlertId", String.class);
        String ext = exchange.getProperty(EXTENSION, String.class);
        if (alertId == null || !SAFE_ID.matcher(alertId).matches()) {
            // never a path from a message into a file name; it goes to the dead-letter queue
            throw new IllegalArgumentException("outbox message without a valid bloAlertId: " + alertId);
        }
        String body = m.getBody(String.class);
        m.removeHeaders("*");
        m.setBody(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        m.setHeader(Exchange.FILE_NAME, fileName(alertId, ext));
    }

    public static String fileName(String alertId, String ext) {
        return "alert-" + alertId + "." + ext;
    }

    /** The extension for a rendering: json, xml, cap. */
    public static String extension(String rendering) {
        return rendering;
    }
}
