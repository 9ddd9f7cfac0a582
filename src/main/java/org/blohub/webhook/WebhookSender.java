package org.blohub.webhook;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Delivers one alert from {@code hub.outbox.<AGENCY>} to the agency's web hook: an HTTPS POST of the rendering,
 * signed ({@link WebhookSigner}), with the TLS certificate and host name verified. Only the headers the hub means
 * are sent; nothing from the JMS side. Any answer but 2xx, a redirect included, or no answer is a failure: it
 * throws, the outbox transaction rolls back, and the broker redelivers with backoff, then dead-letters.
 */
public final class WebhookSender implements Processor {

    /** Exchange property: the agency this route delivers for. */
    public static final String AGENCY = "bloAgency";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final AgencyRegistry agencies;
    private final WebhookSecrets secrets;
    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    public WebhookSender(AgencyRegistry agencies, WebhookSecrets secrets, HttpClient client, Duration timeout, Clock clock) {
        this.agencies = agencies;
        this.secrets = secrets;
        this.client = client;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String agencyId = exchange.getProperty(AGENCY, String.class);
        Agency agency = agencies.find(agencyId).orElseThrow(() -> new IllegalStateException("unknown agency " + agencyId));
        Message m = exchange.getIn();
        String alertId = m.getHeader("bloAlertId", String.class);
        String contentType = m.getHeader("bloContentType", String.class);
        if (alertId == null || !SAFE_ID.matcher(alertId).matches()) {
            throw new IllegalArgumentException("outbox message without a valid bloAlertId: " + alertId);
        }
        String text = m.getBody(String.class);
        m.removeHeaders("*");
        byte[] body = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        byte[] secret = secrets.secret(agency.delivery().secretRef()).orElseThrow(() -> new IllegalStateException(
                "no web hook secret '" + agency.delivery().secretRef() + "' for " + agencyId));
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(agency.delivery().url()))
                .timeout(timeout)
                .header("Content-Type", (contentType == null ? "application/octet-stream" : contentType) + "; charset=UTF-8")
                .header("User-Agent", "BLO-Hub")
                .header(WebhookSigner.ALERT_ID, alertId)
                .header(WebhookSigner.TIMESTAMP, Long.toString(timestamp))
                .header(WebhookSigner.SIGNATURE, WebhookSigner.sign(secret, timestamp, alertId, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String answer;
        try (InputStream in = response.body()) {
            answer = org.blohub.alert.CleanText.escape(new String(in.readNBytes(300), StandardCharsets.UTF_8));
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new WebhookFailedException("web hook of " + agencyId + " answered HTTP " + status + " for alert "
                    + alertId + (answer.isBlank() ? "" : ": " + answer.strip()));
        }
        LOG.debug("Alert {} delivered to the web hook of {} (HTTP {})", alertId, agencyId, status);
    }

    /** The web hook did not take the alert; the broker will redeliver it. */
    public static final class WebhookFailedException extends IOException {
        public WebhookFailedException(String message) {
            super(message);
        }
    }
}
