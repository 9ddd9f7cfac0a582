package org.blohub.routing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.blohub.office.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Strict reading of one YAML config file: every mistake is a {@link ConfigException} naming the file,
 * the entry and the problem. Duplicate keys are refused (YAML would silently keep the last one), and a
 * value must have the type the key asks for (so {@code country: NO}, which YAML reads as {@code false},
 * is an error, not Norway).
 */
final class ConfigNodes {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    final String file;
    /** The mapping being read inside an entry ({@code delivery}, {@code match}), or null for the entry itself. */
    private final String section;

    ConfigNodes(String file) {
        this(file, null);
    }

    private ConfigNodes(String file, String section) {
        this.file = file;
        this.section = section;
    }

    /** The same file, naming keys as {@code section.key} in problems. */
    ConfigNodes section(String section) {
        return new ConfigNodes(file, section);
    }

    /** A key as problems name it: {@code delivery.url}. */
    String label(String key) {
        return section == null ? key : section + "." + key;
    }

    static JsonNode read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": missing", e);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot be read: " + e.getMessage(), e);
        }
        try {
            JsonNode root = YAML.readTree(bytes);
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ConfigException(path + ": is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            String what = e.getOriginalMessage().lines().findFirst().orElse("").trim();
            throw new ConfigException(path + ": not valid YAML" + where + ": " + what, e);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot be read: " + e.getMessage(), e);
        }
    }

    ConfigException error(String entry, String problem) {
        return ConfigException.at(file, entry, problem);
    }

    /** The node must be a mapping whose keys are all in {@code known}. */
    void keys(JsonNode n, String entry, Set<String> known) {
        if (n == null || !n.isObject()) {
            throw error(entry, (section == null ? "" : section + ": ") + "must be a mapping of keys (" + sorted(known) + ")");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw error(entry, (section == null ? "" : section + ": ") + "unknown key '" + f + "' (known: "
                        + sorted(known) + ")");
            }
        }
    }

    /** A list under {@code key} of the root: missing or not a list is an error. */
    JsonNode list(JsonNode root, String key, boolean mayBeEmpty) {
        keys(root, "top level", Set.of(key));
        JsonNode list = root.get(key);
        if (list == null || !list.isArray() || (!mayBeEmpty && list.isEmpty())) {
            throw error("top level", "needs a " + (mayBeEmpty ? "" : "non-empty ") + "list '" + key + "'");
        }
        return list;
    }

    /** A non-blank text, or null when absent and not required. */
    String text(JsonNode n, String entry, String key, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(entry, label(key) + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw error(entry, label(key) + ": must be text, got " + describe(v)
                    + (v.isBoolean() ? " (YAML reads yes/no/on/off/NO as booleans: quote it)" : ""));
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw error(entry, label(key) + ": is empty");
        }
        return s;
    }

    /** {@code true}/{@code false}; null when absent and not required. */
    Boolean bool(JsonNode n, String entry, String key, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(entry, label(key) + ": missing (true or false)");
            }
            return null;
        }
        if (!v.isBoolean()) {
            throw error(entry, label(key) + ": must be true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    /** A list of texts (a single text is not accepted: lists are written as lists); null when absent. */
    List<String> texts(JsonNode n, String entry, String key, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(entry, label(key) + ": missing");
            }
            return null;
        }
        if (!v.isArray()) {
            throw error(entry, label(key) + ": must be a list, e.g. [" + describe(v) + "]");
        }
        if (v.isEmpty()) {
            throw error(entry, label(key) + ": is an empty list (leave the key out instead)");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw error(entry, label(key) + ": every item must be text, got " + describe(e));
            }
            out.add(e.asText().trim());
        }
        return out;
    }

    /** Each text parsed by {@code parse} (which returns null for an unknown value). */
    <T> List<T> values(JsonNode n, String entry, String key, boolean required, String kind,
                       Function<String, T> parse, List<String> known) {
        List<String> raw = texts(n, entry, key, required);
        if (raw == null) {
            return null;
        }
        List<T> out = new ArrayList<>();
        for (String s : raw) {
            T t = parse.apply(s);
            if (t == null) {
                throw error(entry, label(key) + ": unknown " + kind + " '" + s + "' (known: " + String.join(", ", known) + ")");
            }
            if (out.contains(t)) {
                throw error(entry, label(key) + ": '" + s + "' is listed twice");
            }
            out.add(t);
        }
        return out;
    }

    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "'" + v.asText() + "'";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.toString();
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }
}
