package org.blohub.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.MsgType;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Alert.Status;
import org.blohub.alert.Countries;
import org.blohub.alert.Tlp;
import org.blohub.office.ConfigException;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.RoutingRule.Action;
import org.blohub.routing.RoutingRule.Match;
import org.blohub.routing.RoutingRule.Scope;
import org.blohub.routing.RoutingRule.Target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The ordered override rules of config/routing.yaml (DESIGN §6), checked on load against the agencies and offices. */
public final class RoutingRules {

    public static final String FILE = "routing.yaml";
    /** The rule name a decision gives for the default routing of DESIGN §6. */
    public static final String DEFAULT = "default";
    /** The rule name a decision gives when nobody else could receive the alert: the office's focal point. */
    public static final String FALLBACK = "no-match-focal-point";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Set<String> FIELDS = Set.of("name", "description", "match", "add", "only", "restrict", "final");
    private static final Set<String> MATCH_FIELDS = Set.of("categories", "status", "msgType", "tlp", "severity",
            "countries", "offices");
    private static final Set<String> TARGET_FIELDS = Set.of("agencies", "roles", "in", "addressees");

    private final List<RoutingRule> rules;

    public RoutingRules(List<RoutingRule> rules) {
        this.rules = List.copyOf(rules);
        Set<String> names = new java.util.HashSet<>();
        for (RoutingRule r : this.rules) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("duplicate rule name " + r.name());
            }
        }
    }

    /** Loads and checks {@code routing.yaml} from a config directory; any mistake is a {@link ConfigException}. */
    public static RoutingRules load(Path configDir, AgencyRegistry agencies, OfficeRegistry offices) {
        Path file = configDir.resolve(FILE);
        return parse(file.toString(), ConfigNodes.read(file), agencies, offices);
    }

    static RoutingRules parse(String file, JsonNode root, AgencyRegistry agencies, OfficeRegistry offices) {
        ConfigNodes cfg = new ConfigNodes(file);
        JsonNode list = cfg.list(root, "rules", true);
        List<RoutingRule> result = new ArrayList<>();
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            String rawName = n.isObject() && n.path("name").isTextual() ? n.get("name").asText() : null;
            String entry = "rules[" + i + "]" + (rawName == null ? "" : " (" + rawName + ")");
            cfg.keys(n, entry, FIELDS);
            String name = cfg.text(n, entry, "name", true);
            if (!NAME.matcher(name).matches()) {
                throw cfg.error(entry, "name: lower-case words joined by '-' (e.g. cybercrime-247), got '" + name + "'");
            }
            if (name.equals(DEFAULT) || name.equals(FALLBACK)) {
                throw cfg.error(entry, "name: '" + name + "' is reserved for the router's own decisions");
            }
            if (entries.containsKey(name)) {
                throw cfg.error(entry, "name: duplicate of " + entries.get(name));
            }
            entries.put(name, entry);
            String description = cfg.text(n, entry, "description", true);
            Match match = match(cfg, entry, n.get("match"), offices);
            List<Action> actions = Arrays.stream(Action.values()).filter(a -> n.has(a.configName())).toList();
            if (actions.size() != 1) {
                throw cfg.error(entry, (actions.isEmpty() ? "no action" : "more than one action ("
                        + actions.stream().map(Action::configName).collect(Collectors.joining(", ")) + ")")
                        + ": a rule has exactly one of add, only, restrict");
            }
            Action action = actions.get(0);
            Target target = target(cfg, entry, action.configName(), n.get(action.configName()), agencies);
            Boolean fin = cfg.bool(n, entry, "final", false);
            result.add(new RoutingRule(name, description, match, action, target, fin != null && fin));
        }
        return new RoutingRules(result);
    }

    private static Match match(ConfigNodes file, String entry, JsonNode m, OfficeRegistry offices) {
        if (m == null || m.isNull()) {
            return Match.ANY;
        }
        ConfigNodes cfg = file.section("match");
        cfg.keys(m, entry, MATCH_FIELDS);
        List<Category> categories = values(cfg, entry, m, "categories", "category",
                AgencyRegistry::category, AgencyRegistry.names(Category.values()));
        List<Status> status = values(cfg, entry, m, "status", "status",
                s -> Arrays.stream(Status.values()).filter(v -> v.name().equals(s)).findFirst().orElse(null),
                AgencyRegistry.names(Status.values()));
        List<MsgType> msgType = values(cfg, entry, m, "msgType", "msgType",
                s -> Arrays.stream(MsgType.values()).filter(v -> v.name().equals(s)).findFirst().orElse(null),
                AgencyRegistry.names(MsgType.values()));
        List<Tlp> tlp = values(cfg, entry, m, "tlp", "TLP label",
                s -> Arrays.stream(Tlp.values()).filter(v -> v.label().equals(s)).findFirst().orElse(null),
                Arrays.stream(Tlp.values()).map(Tlp::label).toList());
        List<Severity> severity = values(cfg, entry, m, "severity", "severity",
                AgencyRegistry::severity, AgencyRegistry.names(Severity.values()));
        List<String> countries = cfg.texts(m, entry, "countries", false);
        if (countries != null) {
            for (String c : countries) {
                if (!Countries.isAlpha2(c)) {
                    throw cfg.error(entry, "match.countries: not an ISO 3166-1 alpha-2 code: '" + c + "'");
                }
            }
        }
        List<String> officeIds = cfg.texts(m, entry, "offices", false);
        if (officeIds != null) {
            for (String o : officeIds) {
                if (offices.find(o).isEmpty()) {
                    throw cfg.error(entry, "match.offices: no office '" + o + "' in offices.yaml");
                }
            }
        }
        return new Match(set(categories), set(status), set(msgType), set(tlp), set(severity), set(countries),
                set(officeIds));
    }

    private static <T> List<T> values(ConfigNodes cfg, String entry, JsonNode m, String key, String kind,
                                      Function<String, T> parse, List<String> known) {
        return cfg.values(m, entry, key, false, kind, parse, known);
    }

    private static Target target(ConfigNodes file, String entry, String action, JsonNode t, AgencyRegistry agencies) {
        if (t == null || !t.isObject()) {
            throw file.error(entry, action + ": must name its targets: agencies, roles (with in), addressees");
        }
        ConfigNodes cfg = file.section(action);
        cfg.keys(t, entry, TARGET_FIELDS);
        String prefix = action + ".";
        List<String> ids = cfg.texts(t, entry, "agencies", false);
        if (ids != null) {
            for (String id : ids) {
                if (agencies.find(id).isEmpty()) {
                    throw cfg.error(entry, prefix + "agencies: no agency '" + id + "' in agencies.yaml");
                }
            }
        }
        List<String> roles = cfg.texts(t, entry, "roles", false);
        if (roles != null) {
            Set<String> known = agencies.roles();
            for (String r : roles) {
                if (!known.contains(r)) {
                    throw cfg.error(entry, prefix + "roles: no agency has the role '" + r + "' (known: "
                            + String.join(", ", known) + ")");
                }
            }
        }
        Scope scope = null;
        JsonNode in = t.get("in");
        if (in != null) {
            if (roles == null) {
                throw cfg.error(entry, prefix + "in: says where to look up roles, but there are no roles");
            }
            String s = in.isTextual() ? in.asText() : null;
            scope = Arrays.stream(Scope.values()).filter(v -> v.configName().equals(s)).findFirst()
                    .orElseThrow(() -> cfg.error(entry, prefix + "in: unknown scope " + ConfigNodes.describe(in)
                            + " (known: concerned, office, counterpart, any)"));
        }
        JsonNode a = t.get("addressees");
        boolean addressees = false;
        if (a != null) {
            if (!a.isBoolean() || !a.booleanValue()) {
                throw cfg.error(entry, prefix + "addressees: write 'addressees: true' or leave it out, got "
                        + ConfigNodes.describe(a));
            }
            addressees = true;
        }
        if (ids == null && roles == null && !addressees) {
            throw cfg.error(entry, action + ": names no targets (agencies, roles or addressees)");
        }
        return new Target(ids, roles, scope, addressees);
    }

    private static <T> Set<T> set(List<T> l) {
        return l == null ? null : new LinkedHashSet<>(l);
    }

    /** The rules, in the order they apply. */
    public List<RoutingRule> all() {
        return rules;
    }

    public Optional<RoutingRule> find(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
