package org.blohub.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Handler;
import org.blohub.alert.Alert;
import org.blohub.dedupe.Ledger;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Turns a permanent fault met after normalizing (a rendering that cannot be made) into the alert's rejection: the
 * outcome the quarantine and the REJECTED receipt are made from. The alert's dedupe claim is released, so the office's
 * corrected alert with the same reference is taken as new, not answered DUPLICATE of an alert no one got.
 */
public final class PermanentFaults {

    /** Exchange property: the accepted alert a later stage is working on. */
    public static final String ACCEPTED = "bloAccepted";
    private static final Logger LOG = LoggerFactory.getLogger(PermanentFaults.class);

    private final Ledger ledger;

    public PermanentFaults(Ledger ledger) {
        this.ledger = ledger;
    }

    @Handler
    public Outcome.Rejected rejected(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception caught,
                                     @ExchangeProperty(ACCEPTED) Outcome.Accepted accepted) {
        PermanentFault fault = PermanentFault.in(caught).orElseThrow(() -> new IllegalStateException(
                "not a permanent fault", caught));
        Alert alert = accepted.alert();
        String originalId = alert.provenance() == null ? null : alert.provenance().originalId();
        ledger.release(alert);
        LOG.warn("Alert {} from {} rejected at once, no retry can help: {}", alert.alertId(), alert.office(),
                org.blohub.alert.CleanText.escape(fault.getMessage()));
        return new Outcome.Rejected(alert.sourceRef(), alert.office(), originalId, Position.UNKNOWN,
                List.of(fault.problem()));
    }
}
