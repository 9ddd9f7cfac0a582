package org.blohub.api;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.dedupe.Ledger;
import org.blohub.ingest.Inbound;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.receipts.Receipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.Charset;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The HTTP API: offices POST alerts (the same pipeline as every channel); operators read them. */
@RestController
public class AlertController {

    private static final Logger LOG = LoggerFactory.getLogger(AlertController.class);

    private final ProducerTemplate producer;
    private final Ledger ledger;
    /** A larger body is refused with 413: by its Content-Length before it is read, else after limit + 1 bytes. */
    private final long maxDocumentBytes;

    public AlertController(ProducerTemplate producer, Ledger ledger,
                           @Value("${blo.ingest.max-document-bytes:10485760}") long maxDocumentBytes) {
        this.producer = producer;
        this.ledger = ledger;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /**
     * 202 with the receipt (an array of receipts when the body held several alerts); 400 with them when
     * any was rejected (bad input is quarantined all the same).
     */
    @PostMapping(path = "/api/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> post(HttpServletRequest request, Principal office) throws IOException {
        PostedBody checked = PostedBody.check(request.getHeader("Content-Type"), request.getContentLengthLong(),
                maxDocumentBytes);
        if (checked.refusal() != null) {
            return ResponseEntity.status(checked.refusal()).body(Map.of("errors", List.of(checked.reason())));
        }
        byte[] body;
        try {
            body = TextDecoding.readBounded(request.getInputStream(), maxDocumentBytes);
        } catch (UnreadableInputException e) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Map.of("errors", List.of(e.getMessage())));
        }
        Charset declared = checked.charset();
        String requestId = "api:" + UUID.randomUUID();
        List<Object> receipts = new ArrayList<>();
        Exchange exchange = new DefaultExchange(producer.getCamelContext());
        exchange.setProperty(Inbound.PROPERTY, new Inbound(office.getName(), Alert.Channel.API, requestId, body, declared, receipts));
        producer.send("direct:ingest-api", exchange);
        if (exchange.getException() != null) {
            ledger.releaseAll(requestId);
            LOG.error("API alert {} from {} failed and was rolled back", requestId, office.getName(), exchange.getException());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("errors", List.of("the hub could not take the alert now; nothing was kept: send it again")));
        }
        boolean rejected = receipts.stream().anyMatch(r -> ((Receipt) r).status() == Receipt.Status.REJECTED);
        Object answer = receipts.size() == 1 ? receipts.get(0) : receipts;
        return ResponseEntity.status(rejected ? HttpStatus.BAD_REQUEST : HttpStatus.ACCEPTED).body(answer);
    }

    @GetMapping(path = "/api/alerts/{alertId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> get(@PathVariable String alertId) {
        return ledger.find(alertId).map(a -> ResponseEntity.ok(AlertJson.write(a)))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
