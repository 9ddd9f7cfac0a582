package org.blohub.office;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.blohub.alert.Countries;
import org.blohub.normalize.TextDecoding;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The offices of config/offices.yaml, checked on load: a mistake names the file, the entry and the problem. */
public final class OfficeRegistry {

    public static final String FILE = "offices.yaml";
    private static final Pattern ID = Pattern.compile("[A-Z]{2}-[A-Z0-9]+(-[A-Z0-9]+)*");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final Set<String> FIELDS = Set.of("id", "country", "name", "timeZone", "language", "charset",
            "counterpart", "emailSenders", "sftpDirectory");

    private final Map<String, Office> offices;

    public OfficeRegistry(Collection<Office> offices) {
        Map<String, Office> byId = new LinkedHashMap<>();
        offices.forEach(o -> byId.put(o.id(), o));
        this.offices = Map.copyOf(byId);
    }

    /** Loads {@code offices.yaml} from a config directory. */
    public static OfficeRegistry load(Path configDir) {
        Path file = configDir.resolve(FILE);
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(file.toString(), root);
    }

    static OfficeRegistry parse(String file, JsonNode root) {
        JsonNode list = root == null ? null : root.get("offices");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new ConfigException(file + ": needs a non-empty list 'offices'");
        }
        List<Office> result = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            String id = text(n, "id");
            String entry = "offices[" + i + "]" + (id == null ? "" : " (" + id + ")");
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    throw ConfigException.at(file, entry, "unknown key '" + f + "' (known: " + String.join(", ", sortedFields()) + ")");
                }
            }
            if (id == null || !ID.matcher(id).matches()) {
                throw ConfigException.at(file, entry, "id: must look like CC-NAME (upper case), got " + quote(id));
            }
            if (seen.putIfAbsent(id, i) != null) {
                throw ConfigException.at(file, entry, "id: duplicate of offices[" + seen.get(id) + "]");
            }
            String country = require(file, entry, n, "country");
            if (!Countries.isAlpha2(country)) {
                throw ConfigException.at(file, entry, "country: not an ISO 3166-1 alpha-2 code: " + quote(country));
            }
            if (!id.startsWith(country + "-")) {
                throw ConfigException.at(file, entry, "id: must start with its country code " + country + "-");
            }
            String zoneName = require(file, entry, n, "timeZone");
            ZoneId zone;
            try {
                zone = ZoneId.of(zoneName);
            } catch (DateTimeException e) {
                throw ConfigException.at(file, entry, "timeZone: unknown time zone " + quote(zoneName));
            }
            String language = require(file, entry, n, "language");
            if (!LANGUAGE.matcher(language).matches()) {
                throw ConfigException.at(file, entry, "language: not a BCP-47 tag: " + quote(language));
            }
            String charsetName = Optional.ofNullable(text(n, "charset")).orElse("UTF-8");
            Charset charset = TextDecoding.charsetFor(charsetName)
                    .orElseThrow(() -> ConfigException.at(file, entry, "charset: unknown charset " + quote(charsetName)));
            List<String> senders = new ArrayList<>();
            JsonNode s = n.get("emailSenders");
            if (s != null) {
                if (!s.isArray()) {
                    throw ConfigException.at(file, entry, "emailSenders: must be a list of addresses");
                }
                for (JsonNode a : s) {
                    String addr = a.asText().trim().toLowerCase(Locale.ROOT);
                    if (!addr.matches("[^@\\s]+@[^@\\s]+")) {
                        throw ConfigException.at(file, entry, "emailSenders: not an email address: " + quote(a.asText()));
                    }
                    senders.add(addr);
                }
            }
            String sftp = Optional.ofNullable(text(n, "sftpDirectory")).orElse(id.toLowerCase(Locale.ROOT));
            result.add(new Office(id, country, require(file, entry, n, "name"), zone, language, charset,
                    text(n, "counterpart"), senders, sftp));
        }
        for (Office o : result) {
            if (o.counterpart() != null && !seen.containsKey(o.counterpart())) {
                throw ConfigException.at(file, "offices[" + seen.get(o.id()) + "] (" + o.id() + ")",
                        "counterpart: no office " + quote(o.counterpart()));
            }
        }
        return new OfficeRegistry(result);
    }

    public Optional<Office> find(String id) {
        return Optional.ofNullable(offices.get(id));
    }

    /** The office sending from this mail address, if one allows it. */
    public Optional<Office> findByEmailSender(String address) {
        String a = address.trim().toLowerCase(Locale.ROOT);
        return offices.values().stream().filter(o -> o.emailSenders().contains(a)).findFirst();
    }

    public Collection<Office> all() {
        return offices.values();
    }

    private static String require(String file, String entry, JsonNode n, String field) {
        String v = text(n, field);
        if (v == null || v.isBlank()) {
            throw ConfigException.at(file, entry, field + ": missing");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }

    private static List<String> sortedFields() {
        return FIELDS.stream().sorted().toList();
    }
}
