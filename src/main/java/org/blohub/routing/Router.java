package org.blohub.routing;

import org.blohub.alert.Alert;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Tlp;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.RoutingDecision.Recipient;
import org.blohub.routing.RoutingDecision.Withheld;
import org.blohub.routing.RoutingRule.Action;
import org.blohub.routing.RoutingRule.Target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the agencies an alert goes to (DESIGN §6). Stateless and thread-safe; the indexes are built at load,
 * so a decision costs a few array walks.
 *
 * <ol>
 * <li>Default: every agency whose country is concerned (the office's country, the areas' countries,
 *     countriesConcerned), that takes one of the alert's categories, at or above its minimum severity. One not
 *     cleared for the alert's TLP is withheld, and the decision says so.</li>
 * <li>The rules of routing.yaml, in order. An agency a rule adds must be cleared for the TLP too: no rule
 *     can send an alert to an agency above its clearance. Recipients a rule removes are withheld, named.</li>
 * <li>Nobody left: the focal point of the office's country, rule {@value RoutingRules#FALLBACK} — except for
 *     TLP:RED, which is never widened beyond its cleared addressees: {@link UnroutableAlertException}.</li>
 * </ol>
 */
public final class Router {

    private final AgencyRegistry agencies;
    private final List<RoutingRule> rules;
    /** per office id: its country and its counterpart's country (null if none) */
    private final Map<String, String[]> officeCountries;
    /** per rule: the positions of its listed agencies */
    private final int[][] ruleAgencies;

    public Router(AgencyRegistry agencies, RoutingRules rules, OfficeRegistry offices) {
        this.agencies = agencies;
        this.rules = rules.all();
        Map<String, String[]> oc = new HashMap<>();
        for (Office o : offices.all()) {
            String counterpart = o.counterpart() == null ? null
                    : offices.find(o.counterpart()).map(Office::country).orElse(null);
            oc.put(o.id(), new String[]{o.country(), counterpart});
        }
        this.officeCountries = Map.copyOf(oc);
        this.ruleAgencies = new int[this.rules.size()][];
        for (int r = 0; r < this.rules.size(); r++) {
            List<String> ids = this.rules.get(r).target().agencies();
            ruleAgencies[r] = ids.stream().mapToInt(agencies::indexOf).filter(i -> i >= 0).toArray();
        }
    }

    /** Loads agencies.yaml and routing.yaml from a config directory, checked against the offices. */
    public static Router load(Path configDir, OfficeRegistry offices) {
        AgencyRegistry agencies = AgencyRegistry.load(configDir, offices);
        return new Router(agencies, RoutingRules.load(configDir, agencies, offices), offices);
    }

    public AgencyRegistry agencies() {
        return agencies;
    }

    /**
     * The agencies this alert goes to, never none.
     *
     * @throws IllegalArgumentException if the alert's office is unknown and its id names no country with a focal
     *                                  point (the normalizer accepts only known offices: this is a bug, said loudly)
     */
    public RoutingDecision route(Alert alert) {
        Tlp tlp = alert.tlp() == null ? Tlp.RED : alert.tlp();
        Severity severity = alert.severity() == null ? Severity.Unknown : alert.severity();
        String[] oc = officeCountries.get(alert.office());
        String officeCountry = oc != null ? oc[0] : countryOfId(alert.office());
        String counterpartCountry = oc != null ? oc[1] : null;
        List<String> concerned = concerned(alert, officeCountry);

        State s = new State(agencies.size(), tlp);
        // 1. default
        for (String country : concerned) {
            int[][] byCategory = agencies.byCategory(country);
            if (byCategory == null) {
                continue;
            }
            for (Category c : alert.category()) {
                for (int i : byCategory[c.ordinal()]) {
                    if (s.via[i] == null && agencies.at(i).takes(severity)) {
                        s.receive(i, RoutingRules.DEFAULT);
                    }
                }
            }
        }
        // 2. override rules, in order
        for (int r = 0; r < rules.size(); r++) {
            RoutingRule rule = rules.get(r);
            if (!rule.match().matches(alert, tlp, severity, concerned)) {
                continue;
            }
            boolean[] target = targets(r, rule.target(), alert, concerned, officeCountry, counterpartCountry, s);
            if (rule.action() != Action.ADD) {
                String reason = "restricted to " + rule.target().describe();
                for (int i = 0; i < s.via.length; i++) {
                    if (s.via[i] != null && !target[i]) {
                        s.withhold(i, rule.name(), reason);
                    }
                }
            }
            if (rule.action() != Action.RESTRICT) {
                for (int i = 0; i < target.length; i++) {
                    if (!target[i]) {
                        continue;
                    }
                    if (s.via[i] == null) {
                        s.receive(i, rule.name());
                    } else if (rule.action() == Action.ONLY) {
                        s.via[i] = rule.name(); // receives it now because this rule names it, and only so
                    }
                }
            }
            if (rule.isFinal()) {
                break;
            }
        }
        // 3. fallback; never for TLP:RED, which goes to its cleared addressees or to nobody
        if (s.count == 0 && tlp == Tlp.RED) {
            List<Withheld> withheld = s.withheld();
            throw new UnroutableAlertException("addressees: none of the addressees of this TLP:RED alert may receive it ("
                    + String.join("; ", withheld.stream().map(w -> w.agencyId() + ": " + w.reason()).toList())
                    + ")", withheld);
        }
        if (s.count == 0) {
            int focal = agencies.focalIndex(officeCountry);
            if (focal < 0) {
                throw new IllegalArgumentException("alert " + alert.alertId() + ": office " + alert.office()
                        + " is unknown and no focal point is configured for its country: cannot route");
            }
            s.via[focal] = RoutingRules.FALLBACK;
            s.why[focal] = null;
            s.count++;
        }
        return s.decision(alert.alertId());
    }

    private boolean[] targets(int r, Target t, Alert alert, List<String> concerned, String officeCountry,
                              String counterpartCountry, State s) {
        boolean[] target = new boolean[agencies.size()];
        for (int i : ruleAgencies[r]) {
            target[i] = true;
        }
        for (String role : t.roles()) {
            switch (t.in()) {
                case ANY -> mark(target, agencies.byRole(role));
                case CONCERNED -> concerned.forEach(c -> mark(target, agencies.byRole(role, c)));
                case OFFICE -> mark(target, agencies.byRole(role, officeCountry));
                case COUNTERPART -> {
                    if (counterpartCountry != null) {
                        mark(target, agencies.byRole(role, counterpartCountry));
                    }
                }
            }
        }
        if (t.addressees()) {
            for (String id : alert.addressees()) {
                int i = agencies.indexOf(id);
                if (i >= 0) {
                    target[i] = true;
                } else {
                    s.unknown.putIfAbsent(id, new Withheld(id, rules.get(r).name(), "no such agency in agencies.yaml"));
                }
            }
        }
        return target;
    }

    private static void mark(boolean[] target, int[] positions) {
        for (int i : positions) {
            target[i] = true;
        }
    }

    /** The office's country first, then the areas', then countriesConcerned; each once. */
    private static List<String> concerned(Alert alert, String officeCountry) {
        List<String> out = new ArrayList<>(4);
        if (officeCountry != null) {
            out.add(officeCountry);
        }
        for (Alert.Area a : alert.areas()) {
            if (a != null && a.country() != null && !out.contains(a.country())) {
                out.add(a.country());
            }
        }
        for (String c : alert.countriesConcerned()) {
            if (c != null && !out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static String countryOfId(String office) {
        return office != null && office.length() > 2 && office.charAt(2) == '-' ? office.substring(0, 2) : null;
    }

    /** One decision in the making: per agency position, the rule it receives by, or why it is withheld. */
    private final class State {
        final String[] via;
        final Withheld[] why;
        final Map<String, Withheld> unknown = new LinkedHashMap<>();
        final Tlp tlp;
        int count;

        State(int n, Tlp tlp) {
            via = new String[n];
            why = new Withheld[n];
            this.tlp = tlp;
        }

        /** Receives by this rule if cleared for the TLP, else is withheld by it. */
        void receive(int i, String rule) {
            Agency a = agencies.at(i);
            if (a.clearedFor(tlp)) {
                via[i] = rule;
                why[i] = null;
                count++;
            } else {
                why[i] = new Withheld(a.id(), rule, "not cleared for " + tlp.label() + " (receives up to "
                        + a.maxTlp().label() + ")");
            }
        }

        void withhold(int i, String rule, String reason) {
            via[i] = null;
            why[i] = new Withheld(agencies.at(i).id(), rule, reason);
            count--;
        }

        RoutingDecision decision(String alertId) {
            List<Recipient> recipients = new ArrayList<>(count);
            for (int i = 0; i < via.length; i++) {
                if (via[i] != null) {
                    recipients.add(new Recipient(agencies.at(i).id(), via[i]));
                }
            }
            return new RoutingDecision(alertId, recipients, withheld());
        }

        List<Withheld> withheld() {
            List<Withheld> withheld = new ArrayList<>();
            for (int i = 0; i < via.length; i++) {
                if (via[i] == null && why[i] != null) {
                    withheld.add(why[i]);
                }
            }
            withheld.addAll(unknown.values());
            return withheld;
        }
    }
}
