package org.blohub.dedupe;

import org.blohub.alert.Alert;
import org.blohub.normalize.Outcome;
import org.blohub.receipts.Receipts;

/** The dedupe stage: an accepted alert goes on, unless its (office, sourceRef) was accepted before. */
public final class DedupeStage {

    private final Ledger ledger;
    private final Receipts receipts;

    public DedupeStage(Ledger ledger, Receipts receipts) {
        this.ledger = ledger;
        this.receipts = receipts;
    }

    /** @return the alert to route, or the DUPLICATE receipt naming the first alert */
    public Object claim(Outcome.Accepted accepted) {
        Alert alert = accepted.alert();
        Ledger.Claim claim = ledger.claim(alert);
        return claim.verdict() == Ledger.Verdict.DUPLICATE ? receipts.duplicate(alert, claim.firstAlertId()) : alert;
    }
}
