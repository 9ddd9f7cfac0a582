package org.blohub.operations;

import jakarta.servlet.http.HttpServletRequest;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.Charset;
import java.security.Principal;
import java.util.Map;

/**
 * The operators' REST API over {@link DeadLetters}, {@link QuarantineStore} and {@link OperatorAudit}: a thin layer,
 * the beans do the work. Who may call what is {@link org.blohub.api.ApiSecurity}'s: reads for VIEWER and OPERATOR,
 * actions (POST, DELETE) for OPERATOR only. The operator recorded in the audit is the authenticated user.
 *
 * <p>404: no such message (or someone else acted on it first); 409: the action cannot be taken on it; 400: a bad
 * page/size or body; 503: the broker failed the action and rolled it back. Nothing was changed in any of these.
 */
@RestController
public class OperationsController {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsController.class);
    /** A corrected body larger than this is not read (the ingest's own limits apply below it). */
    static final long MAX_BODY = 32L * 1024 * 1024;

    private final DeadLetters deadLetters;
    private final QuarantineStore quarantine;
    private final OperatorAudit audit;

    public OperationsController(DeadLetters deadLetters, QuarantineStore quarantine, OperatorAudit audit) {
        this.deadLetters = deadLetters;
        this.quarantine = quarantine;
        this.audit = audit;
    }

    // --- dead letters ----------------------------------------------------------------------------------------------

    @GetMapping(path = "/api/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
    public Page<DeadLetters.DeadLetter> deadLetters(@RequestParam(required = false) String queue,
                                                    @RequestParam(required = false) String agency,
                                                    @RequestParam(required = false) String office,
                                                    @RequestParam(defaultValue = "0") int page,
                                                    @RequestParam(defaultValue = "" + Page.DEFAULT_SIZE) int size) {
        return deadLetters.list(new DeadLetters.Filter(queue, agency, office), page, size);
    }

    @GetMapping(path = "/api/dead-letters/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public DeadLetters.Detail deadLetter(@PathVariable String id, Principal who) {
        return deadLetters.inspect(id, who.getName());
    }

    @PostMapping(path = "/api/dead-letters/{id}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    public DeadLetters.Replayed replay(@PathVariable String id, Principal who) {
        return deadLetters.replay(id, who.getName());
    }

    @DeleteMapping(path = "/api/dead-letters/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, String> discardDeadLetter(@PathVariable String id, Principal who) {
        deadLetters.discard(id, who.getName());
        return Map.of("discarded", id);
    }

    // --- quarantine ------------------------------------------------------------------------------------------------

    @GetMapping(path = "/api/quarantine", produces = MediaType.APPLICATION_JSON_VALUE)
    public Page<QuarantineStore.Quarantined> quarantined(@RequestParam(required = false) String office,
                                                         @RequestParam(required = false) String channel,
                                                         @RequestParam(defaultValue = "0") int page,
                                                         @RequestParam(defaultValue = "" + Page.DEFAULT_SIZE) int size) {
        return quarantine.list(new QuarantineStore.Filter(office, channel), page, size);
    }

    @GetMapping(path = "/api/quarantine/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public QuarantineStore.Detail quarantinedOne(@PathVariable String id, Principal who) {
        return quarantine.inspect(id, who.getName());
    }

    @GetMapping(path = "/api/quarantine/{id}/original", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<byte[]> original(@PathVariable String id, Principal who) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", "attachment; filename=\"quarantined-" + id + ".bin\"")
                .body(quarantine.original(id, who.getName()));
    }

    /**
     * Re-submits as the office's: the request body, if any, is the corrected input (sent as text when its
     * Content-Type names a charset, else as bytes); with no body the original goes as it was.
     */
    @PostMapping(path = "/api/quarantine/{id}/resubmit", produces = MediaType.APPLICATION_JSON_VALUE)
    public QuarantineStore.Resubmitted resubmit(@PathVariable String id, HttpServletRequest request, Principal who)
            throws IOException {
        byte[] body;
        try {
            body = TextDecoding.readBounded(request.getInputStream(), MAX_BODY);
        } catch (UnreadableInputException e) {
            throw new IllegalArgumentException("the corrected body is too large: " + e.getMessage());
        }
        Charset charset = charset(request.getHeader("Content-Type"));
        return quarantine.resubmit(id, body.length == 0 ? null : body, charset, who.getName());
    }

    @DeleteMapping(path = "/api/quarantine/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, String> discardQuarantined(@PathVariable String id, Principal who) {
        quarantine.discard(id, who.getName());
        return Map.of("discarded", id);
    }

    // --- audit -----------------------------------------------------------------------------------------------------

    @GetMapping(path = "/api/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    public Page<OperatorAudit.Entry> audit(@RequestParam(required = false) String operator,
                                           @RequestParam(required = false) OperatorAudit.Action action,
                                           @RequestParam(required = false) String alertId,
                                           @RequestParam(defaultValue = "0") int page,
                                           @RequestParam(defaultValue = "" + Page.DEFAULT_SIZE) int size) {
        return audit.page(page, size, operator, action, alertId);
    }

    // --- errors ----------------------------------------------------------------------------------------------------

    @ExceptionHandler(OperationException.NotFound.class)
    ResponseEntity<Map<String, String>> notFound(OperationException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(OperationException.Refused.class)
    ResponseEntity<Map<String, String>> refused(OperationException e) {
        return error(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(OperationException.Failed.class)
    ResponseEntity<Map<String, String>> failed(OperationException e) {
        LOG.error("Operator action failed", e);
        return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", message == null ? status.getReasonPhrase() : message));
    }

    /** The charset a Content-Type names (its label kept, read as its WHATWG superset), or null. */
    static Charset charset(String contentType) {
        return TextDecoding.contentTypeCharset(contentType).flatMap(TextDecoding::declaredCharset).orElse(null);
    }
}
