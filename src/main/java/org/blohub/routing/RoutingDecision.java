package org.blohub.routing;

import java.util.List;

/**
 * Where one alert goes and why (DESIGN §6, §7 "routed: to whom, by which rule").
 *
 * @param alertId    the alert routed
 * @param recipients never empty; in the order of agencies.yaml
 * @param withheld   agencies that would or could have received it but do not, and why (not cleared for its TLP,
 *                   removed by a rule, an addressee that does not exist); in the order of agencies.yaml, then
 *                   unknown ids as the alert names them
 */
public record RoutingDecision(String alertId, List<Recipient> recipients, List<Withheld> withheld) {

    public RoutingDecision {
        recipients = List.copyOf(recipients);
        withheld = List.copyOf(withheld);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a routing decision needs at least one recipient");
        }
    }

    /** @param rule {@value RoutingRules#DEFAULT}, {@value RoutingRules#FALLBACK} or the name of the rule that added it */
    public record Recipient(String agencyId, String rule) {
    }

    /**
     * @param rule   the rule that withheld it ({@value RoutingRules#DEFAULT} for the default's TLP check)
     * @param reason in words, e.g. "not cleared for TLP:RED (receives up to TLP:AMBER)"
     */
    public record Withheld(String agencyId, String rule, String reason) {
    }

    public List<String> agencyIds() {
        return recipients.stream().map(Recipient::agencyId).toList();
    }

    /** Whether nobody but the fallback, the focal point of the office's country, receives it. */
    public boolean fellBack() {
        return recipients.size() == 1 && recipients.get(0).rule().equals(RoutingRules.FALLBACK);
    }
}
