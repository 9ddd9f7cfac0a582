package org.blohub.routing;

import org.blohub.alert.Alert;

/** An alert and where it goes. */
public record Routed(Alert alert, RoutingDecision decision) {
}
