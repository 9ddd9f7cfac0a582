package org.blohub.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Countries;
import org.blohub.alert.Tlp;
import org.blohub.office.ConfigException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Agency.Channel;
import org.blohub.routing.Agency.Delivery;
import org.blohub.routing.Agency.Rendering;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The agencies of config/agencies.yaml, checked on load, with the indexes the {@link Router} uses per alert:
 * agencies by country and category, by role and country, and each country's focal point.
 */
public final class AgencyRegistry {

    public static final String FILE = "agencies.yaml";

    private static final Pattern ID = Pattern.compile("[A-Z]{2}-[A-Z0-9]+(-[A-Z0-9]+)*");
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final Pattern SECRET_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
    private static final Set<String> FIELDS = Set.of("id", "country", "name", "categories", "minSeverity", "maxTlp",
            "focalPoint", "delivery");
    private static final Set<String> DELIVERY_FIELDS = Set.of("channel", "rendering", "queue", "address", "directory",
            "url", "secretRef");
    /** The settings each channel takes besides channel and rendering. */
    private static final Map<String, Channel> SETTING_CHANNEL = Map.of("queue", Channel.JMS, "address", Channel.SMTP,
            "directory", Channel.SFTP, "url", Channel.HTTPS, "secretRef", Channel.HTTPS);
    private static final int[] NONE = new int[0];

    private final List<Agency> agencies;
    private final Map<String, Integer> indexById;
    private final Map<String, Integer> focalByCountry;
    private final Map<String, int[][]> byCountryCategory;
    private final Map<String, Map<String, int[]>> byRoleCountry;
    private final Map<String, int[]> byRole;

    /**
     * Builds the indexes. Checks only what the indexes need (unique ids, one focal point per country);
     * {@link #load} checks everything else.
     */
    public AgencyRegistry(Collection<Agency> agencies) {
        this.agencies = List.copyOf(agencies);
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> focal = new HashMap<>();
        Map<String, List<List<Integer>>> countryCategory = new HashMap<>();
        Map<String, Map<String, List<Integer>>> roleCountry = new HashMap<>();
        int categories = Category.values().length;
        for (int i = 0; i < this.agencies.size(); i++) {
            Agency a = this.agencies.get(i);
            if (ids.putIfAbsent(a.id(), i) != null) {
                throw new IllegalArgumentException("duplicate agency id " + a.id());
            }
            if (a.focalPoint() && focal.putIfAbsent(a.country(), i) != null) {
                throw new IllegalArgumentException("two focal points for " + a.country() + ": "
                        + this.agencies.get(focal.get(a.country())).id() + " and " + a.id());
            }
            List<List<Integer>> perCategory = countryCategory.computeIfAbsent(a.country(), c -> {
                List<List<Integer>> l = new ArrayList<>();
                for (int k = 0; k < categories; k++) {
                    l.add(new ArrayList<>());
                }
                return l;
            });
            for (Category c : a.categories()) {
                perCategory.get(c.ordinal()).add(i);
            }
            String role = a.focalPoint() ? Agency.FOCAL : a.role();
            roleCountry.computeIfAbsent(role, r -> new HashMap<>())
                    .computeIfAbsent(a.country(), c -> new ArrayList<>()).add(i);
            if (a.focalPoint() && !a.role().equals(Agency.FOCAL)) {
                // a focal point is found both by the FOCAL role and by its own name
                roleCountry.computeIfAbsent(a.role(), r -> new HashMap<>())
                        .computeIfAbsent(a.country(), c -> new ArrayList<>()).add(i);
            }
        }
        this.indexById = Map.copyOf(ids);
        this.focalByCountry = Map.copyOf(focal);
        Map<String, int[][]> cc = new HashMap<>();
        countryCategory.forEach((country, lists) -> cc.put(country,
                lists.stream().map(AgencyRegistry::ints).toArray(int[][]::new)));
        this.byCountryCategory = Map.copyOf(cc);
        Map<String, Map<String, int[]>> rc = new HashMap<>();
        Map<String, int[]> r = new HashMap<>();
        roleCountry.forEach((role, perCountry) -> {
            Map<String, int[]> m = new HashMap<>();
            perCountry.forEach((country, l) -> m.put(country, ints(l)));
            rc.put(role, Map.copyOf(m));
            r.put(role, perCountry.values().stream().flatMap(List::stream).mapToInt(Integer::intValue).sorted().toArray());
        });
        this.byRoleCountry = Map.copyOf(rc);
        this.byRole = Map.copyOf(r);
    }

    /** Loads and checks {@code agencies.yaml} from a config directory; any mistake is a {@link ConfigException}. */
    public static AgencyRegistry load(Path configDir, OfficeRegistry offices) {
        Path file = configDir.resolve(FILE);
        return parse(file.toString(), ConfigNodes.read(file), offices);
    }

    static AgencyRegistry parse(String file, JsonNode root, OfficeRegistry offices) {
        ConfigNodes cfg = new ConfigNodes(file);
        JsonNode list = cfg.list(root, "agencies", false);
        List<Agency> result = new ArrayList<>();
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, String> focal = new TreeMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            String rawId = n.isObject() && n.path("id").isTextual() ? n.get("id").asText() : null;
            String entry = "agencies[" + i + "]" + (rawId == null ? "" : " (" + rawId + ")");
            cfg.keys(n, entry, FIELDS);
            String id = cfg.text(n, entry, "id", true);
            if (!ID.matcher(id).matches()) {
                throw cfg.error(entry, "id: must look like CC-NAME (country code, '-', upper-case name), got '" + id + "'");
            }
            if (entries.containsKey(id)) {
                throw cfg.error(entry, "id: duplicate of " + entries.get(id));
            }
            entries.put(id, entry);
            String country = cfg.text(n, entry, "country", true);
            if (!Countries.isAlpha2(country)) {
                throw cfg.error(entry, "country: not an ISO 3166-1 alpha-2 code: '" + country + "'");
            }
            if (!id.startsWith(country + "-")) {
                throw cfg.error(entry, "id: must start with its country code " + country + "- (got '" + id + "')");
            }
            String name = cfg.text(n, entry, "name", true);
            List<Category> categories = cfg.values(n, entry, "categories", true, "category",
                    AgencyRegistry::category, names(Category.values()));
            String severityText = cfg.text(n, entry, "minSeverity", true);
            Severity minSeverity = severity(severityText);
            if (minSeverity == null) {
                throw cfg.error(entry, "minSeverity: unknown severity '" + severityText + "' (known, least severe first: "
                        + String.join(", ", names(Severity.values())) + ")");
            }
            Tlp maxTlp = tlp(cfg, entry, "maxTlp", cfg.text(n, entry, "maxTlp", true));
            boolean focalPoint = cfg.bool(n, entry, "focalPoint", true);
            if (!focalPoint && id.substring(3).equals(Agency.FOCAL)) {
                throw cfg.error(entry, "focalPoint: an agency named " + id + " must be its country's focal point (focalPoint: true)");
            }
            if (focalPoint) {
                if (maxTlp != Tlp.RED) {
                    throw cfg.error(entry, "maxTlp: a focal point receives alerts no other agency can take, TLP:RED"
                            + " ones included, so it must be cleared for TLP:RED (got " + maxTlp.label() + ")");
                }
                String other = focal.putIfAbsent(country, entry);
                if (other != null) {
                    throw cfg.error(entry, "focalPoint: " + country + " already has a focal point, " + other
                            + " (exactly one per country)");
                }
            }
            Delivery delivery = delivery(cfg, entry, id, n.get("delivery"));
            result.add(new Agency(id, country, name, EnumSet.copyOf(categories), minSeverity, maxTlp, focalPoint, delivery));
        }
        Map<String, List<String>> officesByCountry = new TreeMap<>();
        for (Office o : offices.all()) {
            officesByCountry.computeIfAbsent(o.country(), c -> new ArrayList<>()).add(o.id());
        }
        for (Map.Entry<String, List<String>> e : officesByCountry.entrySet()) {
            if (!focal.containsKey(e.getKey())) {
                throw cfg.error("agencies", "no focal point (focalPoint: true) for " + e.getKey() + ", the country of "
                        + String.join(", ", new TreeSet<>(e.getValue()))
                        + ": every country with an office needs exactly one, the recipient of last resort");
            }
        }
        return new AgencyRegistry(result);
    }

    private static Delivery delivery(ConfigNodes cfg, String entry, String id, JsonNode d) {
        String where = entry;
        if (d == null || d.isNull()) {
            throw cfg.error(where, "delivery: missing");
        }
        cfg.section("delivery").keys(d, where, DELIVERY_FIELDS);
        String channelText = setting(cfg, where, d, "channel", false);
        if (channelText == null) {
            throw cfg.error(where, "delivery.channel: missing (jms, smtp, sftp or https)");
        }
        Channel channel = Arrays.stream(Channel.values()).filter(c -> c.configName().equals(channelText))
                .findFirst().orElseThrow(() -> cfg.error(where, "delivery.channel: unknown channel '" + channelText
                        + "' (known: jms, smtp, sftp, https)"));
        String renderingText = setting(cfg, where, d, "rendering", false);
        if (renderingText == null) {
            throw cfg.error(where, "delivery.rendering: missing (json, xml or cap)");
        }
        Rendering rendering = Arrays.stream(Rendering.values()).filter(r -> r.configName().equals(renderingText))
                .findFirst().orElseThrow(() -> cfg.error(where, "delivery.rendering: unknown rendering '" + renderingText
                        + "' (known: json, xml, cap)"));
        for (Map.Entry<String, Channel> s : new TreeMap<>(SETTING_CHANNEL).entrySet()) {
            if (d.has(s.getKey()) && s.getValue() != channel) {
                throw cfg.error(where, "delivery." + s.getKey() + ": only for channel " + s.getValue().configName()
                        + ", this delivery is " + channel.configName());
            }
        }
        switch (channel) {
            case JMS -> {
                String queue = setting(cfg, where, d, "queue", false);
                if (queue == null) {
                    queue = "agency." + id;
                } else if (!QUEUE.matcher(queue).matches()) {
                    throw cfg.error(where, "delivery.queue: not a queue name (letters, digits, '.', '_', '-'): '" + queue + "'");
                }
                return Delivery.jms(queue, rendering);
            }
            case SMTP -> {
                String address = setting(cfg, where, d, "address", true).toLowerCase(Locale.ROOT);
                if (!EMAIL.matcher(address).matches()) {
                    throw cfg.error(where, "delivery.address: not an email address: '" + address + "'");
                }
                return Delivery.smtp(address, rendering);
            }
            case SFTP -> {
                String dir = setting(cfg, where, d, "directory", true);
                String trimmed = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
                if (dir.startsWith("/") || trimmed.isEmpty()
                        || !Arrays.stream(trimmed.split("/", -1)).allMatch(s -> PATH_SEGMENT.matcher(s).matches())) {
                    throw cfg.error(where, "delivery.directory: must be a relative path without '..' or empty parts"
                            + " (e.g. vn-env/inbox), got '" + dir + "'");
                }
                return Delivery.sftp(trimmed, rendering);
            }
            case HTTPS -> {
                String url = setting(cfg, where, d, "url", true);
                URI uri;
                try {
                    uri = new URI(url);
                } catch (URISyntaxException e) {
                    throw cfg.error(where, "delivery.url: not a URL: '" + url + "'");
                }
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())
                        || "[::1]".equals(uri.getHost());
                if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
                    throw cfg.error(where, "delivery.url: must be an https:// URL with a host (plain http only to"
                            + " localhost), got '" + url + "'");
                }
                if (uri.getRawUserInfo() != null) {
                    throw cfg.error(where, "delivery.url: must not carry credentials; name them with secretRef");
                }
                String secretRef = setting(cfg, where, d, "secretRef", true);
                if (!SECRET_REF.matcher(secretRef).matches()) {
                    throw cfg.error(where, "delivery.secretRef: must name a secret (letters, digits, '.', '_', '/', '-'),"
                            + " not hold one: '" + secretRef + "'");
                }
                return Delivery.https(url, secretRef, rendering);
            }
            default -> throw new IllegalStateException(channel.toString());
        }
    }

    private static String setting(ConfigNodes cfg, String entry, JsonNode d, String key, boolean required) {
        JsonNode v = d.get(key);
        if ((v == null || v.isNull()) && required) {
            throw cfg.error(entry, "delivery." + key + ": missing (channel " + d.path("channel").asText() + " needs it)");
        }
        if (v != null && !v.isNull() && (!v.isTextual() || v.asText().isBlank())) {
            throw cfg.error(entry, "delivery." + key + ": must be text, got " + ConfigNodes.describe(v));
        }
        return v == null || v.isNull() ? null : v.asText().trim();
    }

    /** An exact TLP 2.0 label; TLP:WHITE is refused here (config says what it means: TLP:CLEAR). */
    static Tlp tlp(ConfigNodes cfg, String entry, String key, String text) {
        for (Tlp t : Tlp.values()) {
            if (t.label().equals(text)) {
                return t;
            }
        }
        throw cfg.error(entry, key + ": unknown TLP label '" + text + "' (known: "
                + Arrays.stream(Tlp.values()).map(Tlp::label).collect(Collectors.joining(", "))
                + (text.equalsIgnoreCase("TLP:WHITE") ? "; TLP:WHITE is now TLP:CLEAR" : "") + ")");
    }

    static Category category(String s) {
        for (Category c : Category.values()) {
            if (c.name().equals(s)) {
                return c;
            }
        }
        return null;
    }

    static Severity severity(String s) {
        for (Severity c : Severity.values()) {
            if (c.name().equals(s)) {
                return c;
            }
        }
        return null;
    }

    static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    private static int[] ints(List<Integer> l) {
        return l.isEmpty() ? NONE : l.stream().mapToInt(Integer::intValue).toArray();
    }

    public Optional<Agency> find(String id) {
        Integer i = id == null ? null : indexById.get(id);
        return i == null ? Optional.empty() : Optional.of(agencies.get(i));
    }

    /** All agencies, in the order of the config file (the order routing decisions list them in). */
    public List<Agency> all() {
        return agencies;
    }

    public Optional<Agency> focalPoint(String country) {
        Integer i = focalByCountry.get(country);
        return i == null ? Optional.empty() : Optional.of(agencies.get(i));
    }

    /** The roles rules may name: every id's part after the country, and FOCAL. */
    public Set<String> roles() {
        return new TreeSet<>(byRole.keySet());
    }

    // indexes for the router: positions in all()

    int size() {
        return agencies.size();
    }

    Agency at(int i) {
        return agencies.get(i);
    }

    int indexOf(String id) {
        Integer i = id == null ? null : indexById.get(id);
        return i == null ? -1 : i;
    }

    int focalIndex(String country) {
        Integer i = country == null ? null : focalByCountry.get(country);
        return i == null ? -1 : i;
    }

    /** Per category ordinal, the agencies of this country taking it; null when the country has none. */
    int[][] byCategory(String country) {
        return byCountryCategory.get(country);
    }

    int[] byRole(String role, String country) {
        Map<String, int[]> m = byRoleCountry.get(role);
        int[] r = m == null ? null : m.get(country);
        return r == null ? NONE : r;
    }

    int[] byRole(String role) {
        return byRole.getOrDefault(role, NONE);
    }
}
