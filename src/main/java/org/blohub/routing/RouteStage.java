package org.blohub.routing;

import org.blohub.alert.Alert;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;

import java.util.List;

/** The route stage: an alert in, the alert with its decision out — or a rejection when it may go to nobody. */
public final class RouteStage {

    private final Router router;

    public RouteStage(Router router) {
        this.router = router;
    }

    public Object route(Alert alert) {
        try {
            return new Routed(alert, router.route(alert));
        } catch (UnroutableAlertException e) {
            String message = e.getMessage().startsWith("addressees: ")
                    ? e.getMessage().substring("addressees: ".length()) : e.getMessage();
            return new Outcome.Rejected(alert.sourceRef(), alert.office(),
                    alert.provenance() == null ? null : alert.provenance().originalId(), Position.UNKNOWN,
                    List.of(Problem.of("addressees", message)));
        }
    }
}
