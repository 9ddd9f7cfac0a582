package org.blohub.normalize.flat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.SourceMap;
import org.blohub.office.Office;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The flat forms' keys (CSV columns, email {@code Key: Value} lines; DESIGN "Flat forms") and the one
 * mapping from them to the canonical tree, so that both readers agree on every field.
 */
public final class FlatFields {

    /** A flat key; {@link #label()} is how it is written (matched case-insensitively). */
    public enum Key {
        SOURCE_REF("sourceRef"), OFFICE("office"), SENT_AT("sentAt"), STATUS("status"), MSG_TYPE("msgType"),
        REFERENCES("references"), CATEGORY("category"), URGENCY("urgency"), SEVERITY("severity"),
        CERTAINTY("certainty"), LANGUAGE("language"), HEADLINE("headline"), DESCRIPTION("description"),
        AREAS("areas"), AREA_COUNTRY("areaCountry"), UN_LOCODE("unLocode"), LAT("lat"), LON("lon"),
        COUNTRIES_CONCERNED("countriesConcerned"), SUBJECTS("subjects"), TLP("tlp"),
        HANDLING_CODES("handlingCodes"), GRADING_SOURCE("gradingSource"),
        GRADING_INFORMATION("gradingInformation"), ADDRESSEES("addressees");

        private final String label;
        private final String pointer; // made once: rows are many

        Key(String label) {
            this.label = label;
            this.pointer = "/" + label;
        }

        public String label() {
            return label;
        }
    }

    private static final Key[] KEYS = Key.values();
    private static final Map<String, Key> BY_NAME = Arrays.stream(KEYS)
            .collect(Collectors.toUnmodifiableMap(k -> k.label.toLowerCase(Locale.ROOT), k -> k));
    private static final String KNOWN = Arrays.stream(KEYS).map(Key::label).collect(Collectors.joining(", "));
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FlatFields() {
    }

    /** The key a name means (surrounding blanks ignored, any letter case), if it is one. */
    public static Optional<Key> key(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    /** The known keys, for messages naming an unknown one. */
    public static String knownKeys() {
        return KNOWN;
    }

    /**
     * One alert's flat values, set in any order (the office may come after the areas it locates),
     * then turned into a draft. Not thread-safe; one per alert.
     */
    public static final class Form {

        private final String[] values = new String[KEYS.length];
        private final Position[] at = new Position[KEYS.length];
        private final List<Problem> problems = new ArrayList<>(0);

        /** Sets a key's value; a blank value means absent. Surrounding blanks are not part of a flat value. */
        public void set(Key key, String value, Position position) {
            String v = value == null ? "" : value.strip();
            values[key.ordinal()] = v.isEmpty() ? null : v;
            at[key.ordinal()] = position;
        }

        public boolean has(Key key) {
            return values[key.ordinal()] != null;
        }

        public String get(Key key) {
            return values[key.ordinal()];
        }

        /** A problem the reader found before mapping (an unknown key, a bad line); kept in front. */
        public void problem(String field, String message, Position position) {
            problems.add(new Problem(field, message, position));
        }

        /**
         * The draft of these values.
         *
         * @param declaredCharset the label the transport declared and the reader used, or null
         */
        public Draft toDraft(ReadContext ctx, OriginalFormat format, String originalId, Position start,
                             String declaredCharset) {
            ObjectNode f = NODES.objectNode();
            SourceMap where = new SourceMap(start);
            Draft draft = new Draft(f, where, format, originalId, new ArrayList<>(problems));

            text(f, where, Key.SOURCE_REF);
            text(f, where, Key.OFFICE);
            text(f, where, Key.SENT_AT);
            text(f, where, Key.STATUS);
            text(f, where, Key.MSG_TYPE);
            references(f, where, draft);
            list(f, where, Key.CATEGORY);
            text(f, where, Key.URGENCY);
            text(f, where, Key.SEVERITY);
            text(f, where, Key.CERTAINTY);
            text(f, where, Key.LANGUAGE);
            text(f, where, Key.HEADLINE);
            text(f, where, Key.DESCRIPTION);
            areas(f, where, draft, ctx);
            list(f, where, Key.COUNTRIES_CONCERNED);
            subjects(f, where, draft);
            text(f, where, Key.TLP);
            list(f, where, Key.HANDLING_CODES);
            grading(f, where, draft);
            list(f, where, Key.ADDRESSEES);
            if (declaredCharset != null) {
                f.putObject("provenance").put("declaredCharset", declaredCharset);
            }
            return draft;
        }

        private void text(ObjectNode f, SourceMap where, Key key) {
            String v = get(key);
            if (v != null) {
                f.put(key.label, v);
                mark(where, key.pointer, at(key));
            }
        }

        private void list(ObjectNode f, SourceMap where, Key key) {
            List<String> items = items(get(key));
            if (!items.isEmpty()) {
                ArrayNode a = f.putArray(key.label);
                items.forEach(a::add);
                mark(where, key.pointer, at(key));
            }
        }

        /** {@code OFFICE:sourceRef;...}, split at the first ':' (a sourceRef may hold more). */
        private void references(ObjectNode f, SourceMap where, Draft draft) {
            List<String> items = items(get(Key.REFERENCES));
            if (items.isEmpty()) {
                return;
            }
            ArrayNode a = f.putArray("references");
            mark(where, "/references", at(Key.REFERENCES));
            for (int i = 0; i < items.size(); i++) {
                String item = items.get(i);
                int colon = item.indexOf(':');
                String office = colon < 0 ? "" : item.substring(0, colon).strip();
                String ref = colon < 0 ? "" : item.substring(colon + 1).strip();
                if (office.isEmpty() || ref.isEmpty()) {
                    draft.problem("references[" + i + "]",
                            "expected OFFICE:sourceRef, got '" + item + "'", at(Key.REFERENCES));
                    continue;
                }
                a.addObject().put("office", office).put("sourceRef", ref);
            }
        }

        /**
         * One area per description, all in {@code areaCountry}, else the office's country;
         * unLocode, lat and lon belong to the first.
         */
        private void areas(ObjectNode f, SourceMap where, Draft draft, ReadContext ctx) {
            List<String> descs = items(get(Key.AREAS));
            if (descs.isEmpty()) {
                for (Key k : new Key[] {Key.AREA_COUNTRY, Key.UN_LOCODE, Key.LAT, Key.LON}) {
                    if (has(k)) {
                        draft.problem("areas", k.label + " is given but there are no areas for it to locate", at(k));
                    }
                }
                return;
            }
            String country = get(Key.AREA_COUNTRY);
            if (country == null) {
                country = office(ctx).map(Office::country).orElse(null);
            }
            ArrayNode a = f.putArray("areas");
            mark(where, "/areas", at(Key.AREAS));
            for (int i = 0; i < descs.size(); i++) {
                ObjectNode area = a.addObject().put("areaDesc", descs.get(i));
                mark(where, "/areas/" + i + "/areaDesc", at(Key.AREAS));
                if (country != null) {
                    area.put("country", country);
                    if (has(Key.AREA_COUNTRY)) {
                        mark(where, "/areas/" + i + "/country", at(Key.AREA_COUNTRY));
                    }
                }
            }
            ObjectNode first = (ObjectNode) a.get(0);
            if (has(Key.UN_LOCODE)) {
                first.put("unLocode", get(Key.UN_LOCODE));
                mark(where, "/areas/0/unLocode", at(Key.UN_LOCODE));
            }
            number(first, "lat", Key.LAT, where, draft);
            number(first, "lon", Key.LON, where, draft);
        }

        private void number(ObjectNode area, String name, Key key, SourceMap where, Draft draft) {
            String v = get(key);
            if (v == null) {
                return;
            }
            BigDecimal n = decimal(v);
            if (n == null) {
                draft.problem("areas[0]." + name, "not a number: '" + v + "'", at(key));
                return;
            }
            area.set(name, DecimalNode.valueOf(n));
            mark(where, "/areas/0/" + name, at(key));
        }

        /** {@code TYPE:name;...}, split at the first ':' (a name or plate may hold more). */
        private void subjects(ObjectNode f, SourceMap where, Draft draft) {
            List<String> items = items(get(Key.SUBJECTS));
            if (items.isEmpty()) {
                return;
            }
            ArrayNode a = f.putArray("subjects");
            mark(where, "/subjects", at(Key.SUBJECTS));
            for (int i = 0; i < items.size(); i++) {
                String item = items.get(i);
                int colon = item.indexOf(':');
                String type = colon < 0 ? "" : item.substring(0, colon).strip();
                if (type.isEmpty()) {
                    draft.problem("subjects[" + i + "]", "expected TYPE:name, got '" + item + "'", at(Key.SUBJECTS));
                    continue;
                }
                ObjectNode s = a.addObject().put("type", type);
                String name = item.substring(colon + 1).strip();
                if (!name.isEmpty()) {
                    s.put("name", name);
                }
            }
        }

        private void grading(ObjectNode f, SourceMap where, Draft draft) {
            String source = get(Key.GRADING_SOURCE);
            String information = get(Key.GRADING_INFORMATION);
            Integer info = null;
            if (information != null) {
                info = integer(information);
                if (info == null) {
                    draft.problem("grading.information", "not an integer: '" + information + "'",
                            at(Key.GRADING_INFORMATION));
                }
            }
            if (source == null && info == null) {
                return;
            }
            ObjectNode g = f.putObject("grading");
            if (source != null) {
                g.put("source", source);
                mark(where, "/grading/source", at(Key.GRADING_SOURCE));
            }
            if (info != null) {
                g.put("information", info);
                mark(where, "/grading/information", at(Key.GRADING_INFORMATION));
            }
            mark(where, "/grading", at(source != null ? Key.GRADING_SOURCE : Key.GRADING_INFORMATION));
        }

        private Optional<Office> office(ReadContext ctx) {
            if (ctx.office() != null) {
                return Optional.of(ctx.office());
            }
            // a registry may be absent in an offline read; then only the channel's office counts
            return ctx.offices() == null ? Optional.empty() : ctx.officeOr(get(Key.OFFICE));
        }

        /** Records a known position only, so that an unknown one falls back to the alert's start. */
        private static void mark(SourceMap where, String pointer, Position position) {
            if (position.known()) {
                where.put(pointer, position);
            }
        }

        private Position at(Key key) {
            Position p = at[key.ordinal()];
            return p == null ? Position.UNKNOWN : p;
        }
    }

    /** A list value: items separated by ';', trimmed, empty ones dropped. */
    static List<String> items(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>(4);
        int from = 0;
        int n = value.length();
        while (from <= n) {
            int semi = value.indexOf(';', from);
            int end = semi < 0 ? n : semi;
            String item = value.substring(from, end).strip();
            if (!item.isEmpty()) {
                items.add(item);
            }
            from = end + 1;
        }
        return items;
    }

    /** A plain decimal number (no NaN, no hex, no {@code 1d}); null when it is none. */
    static BigDecimal decimal(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return null;
            }
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Integer integer(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            // ASCII digits only: Integer.parseInt would take Thai or Khmer digits too
            if (!(c >= '0' && c <= '9' || i == 0 && (c == '-' || c == '+'))) {
                return null;
            }
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
