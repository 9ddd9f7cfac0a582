package org.blohub.routing;

import org.blohub.alert.Alert;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.MsgType;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Alert.Status;
import org.blohub.alert.Tlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One override rule of config/routing.yaml: when an alert matches, an action changes its recipients.
 *
 * @param name        names the rule in routing decisions and traces
 * @param description what it is for, in words
 * @param match       which alerts it applies to
 * @param action      add, only or restrict
 * @param target      the agencies the action names
 * @param isFinal     when it applies, no later rule does
 */
public record RoutingRule(String name, String description, Match match, Action action, Target target, boolean isFinal) {

    /** What a matching rule does to the recipients chosen so far. */
    public enum Action {
        /** The targets receive it too (whatever categories and minimum severity they take). */
        ADD,
        /** The targets, and nobody else, receive it: the recipients so far are replaced, and every recipient
         *  is attributed to this rule. */
        ONLY,
        /** Of the recipients so far, only those among the targets keep it; nobody is added. */
        RESTRICT;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The countries a role is looked up in. */
    public enum Scope {
        /** the alert's countries: area countries, the office's country, countriesConcerned */
        CONCERNED,
        /** the sending office's country */
        OFFICE,
        /** the country of the sending office's counterpart across the border (offices.yaml) */
        COUNTERPART,
        /** every country */
        ANY;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Conditions on the alert; each is a set of values of which the alert must have one, and every condition
     * given must hold. An empty set places no condition; a match with no conditions takes every alert.
     *
     * @param categories one of the alert's categories is one of these
     * @param countries  one of the alert's concerned countries is one of these
     * @param offices    the sending office is one of these
     */
    public record Match(Set<Category> categories, Set<Status> status, Set<MsgType> msgType, Set<Tlp> tlp,
                        Set<Severity> severity, Set<String> countries, Set<String> offices) {

        public static final Match ANY = new Match(null, null, null, null, null, null, null);

        public Match {
            categories = categories == null ? Set.of() : Set.copyOf(categories);
            status = status == null ? Set.of() : Set.copyOf(status);
            msgType = msgType == null ? Set.of() : Set.copyOf(msgType);
            tlp = tlp == null ? Set.of() : Set.copyOf(tlp);
            severity = severity == null ? Set.of() : Set.copyOf(severity);
            countries = countries == null ? Set.of() : Set.copyOf(countries);
            offices = offices == null ? Set.of() : Set.copyOf(offices);
        }

        /**
         * @param tlp      the alert's TLP (a missing one counts as TLP:RED)
         * @param severity the alert's severity (a missing one counts as Unknown)
         */
        boolean matches(Alert alert, Tlp tlp, Severity severity, List<String> concerned) {
            if (!categories.isEmpty() && alert.category().stream().noneMatch(categories::contains)) {
                return false;
            }
            if (!status.isEmpty() && !status.contains(alert.status())) {
                return false;
            }
            if (!msgType.isEmpty() && !msgType.contains(alert.msgType())) {
                return false;
            }
            if (!this.tlp.isEmpty() && !this.tlp.contains(tlp)) {
                return false;
            }
            if (!this.severity.isEmpty() && !this.severity.contains(severity)) {
                return false;
            }
            if (!countries.isEmpty() && concerned.stream().noneMatch(countries::contains)) {
                return false;
            }
            return offices.isEmpty() || offices.contains(alert.office());
        }
    }

    /**
     * The agencies an action names: listed ids, agencies by role in some countries, the alert's addressees,
     * or any union of these.
     *
     * @param agencies   agency ids, e.g. {@code VN-FOCAL}
     * @param roles      roles: the part of an id after the country ({@code CYBER247}), or {@code FOCAL} for
     *                   the focal point of a country
     * @param in         the countries the roles are looked up in
     * @param addressees whether the alert's addressees are targets
     */
    public record Target(List<String> agencies, List<String> roles, Scope in, boolean addressees) {

        public Target {
            agencies = agencies == null ? List.of() : List.copyOf(agencies);
            roles = roles == null ? List.of() : List.copyOf(roles);
            in = in == null ? Scope.CONCERNED : in;
        }

        /** In words, for withheld reasons: "the alert's addressees", "FOCAL of any country". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!agencies.isEmpty()) {
                parts.add(String.join(", ", agencies));
            }
            if (!roles.isEmpty()) {
                parts.add(String.join(", ", roles) + switch (in) {
                    case CONCERNED -> " of the countries concerned";
                    case OFFICE -> " of the office's country";
                    case COUNTERPART -> " of the counterpart office's country";
                    case ANY -> " of any country";
                });
            }
            if (addressees) {
                parts.add("the alert's addressees");
            }
            return String.join(" or ", parts);
        }
    }
}
