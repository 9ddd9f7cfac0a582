package org.blohub.routing;

import java.util.List;

/**
 * An alert that may go to nobody: a TLP:RED alert none of whose addressees exists or is cleared for
 * RED. Widening it to anyone else would leak it, so the hub refuses it with the reasons (the office
 * gets a REJECTED receipt naming them, and the message is quarantined, never dropped).
 */
public class UnroutableAlertException extends RuntimeException {

    private final List<RoutingDecision.Withheld> withheld;

    public UnroutableAlertException(String message, List<RoutingDecision.Withheld> withheld) {
        super(message);
        this.withheld = List.copyOf(withheld);
    }

    public List<RoutingDecision.Withheld> withheld() {
        return withheld;
    }
}
