package org.blohub.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.blohub.alert.Alert;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.alert.AlertJson;
import org.blohub.alert.AlertRules;
import org.blohub.alert.AlertSchema;
import org.blohub.alert.CleanText;
import org.blohub.alert.Tlp;
import org.blohub.office.Office;

import java.text.Normalizer.Form;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a reader's draft into a common alert: text NFC-normalized, TLP:WHITE read as TLP:CLEAR,
 * dates without an offset placed in the office's time zone, an absent status and msgType read as
 * {@code Actual} and {@code Alert} in the formats people write ({@link #FORMS}), hub-set fields
 * assigned, then the schema and the rules enforced. Text with a control character is refused,
 * naming field and character. Any problem rejects the whole alert, naming field and line.
 */
public final class Normalizer {

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).toFormatter();
    private static final DateTimeFormatter OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HH:MM", "Z").toFormatter();
    private static final DateTimeFormatter OFFSET_COMPACT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HHMM", "Z").toFormatter();

    /**
     * The formats offices write by hand or from their own tools (canonical JSON, BLO XML, CSV rows, email forms):
     * CAP's status and msgType are not a field officer's vocabulary, so there an absent one means an actual alert.
     * CAP input keeps them required, as CAP does.
     */
    static final Set<OriginalFormat> FORMS = EnumSet.of(OriginalFormat.JSON, OriginalFormat.BLO_XML,
            OriginalFormat.CSV, OriginalFormat.EMAIL_FORM);

    private final Clock clock;

    public Normalizer(Clock clock) {
        this.clock = clock;
    }

    public Normalizer() {
        this(Clock.systemUTC());
    }

    public Outcome normalize(Draft draft, ReadContext context, Origin origin) {
        ObjectNode f = draft.fields().deepCopy();
        List<Problem> problems = new ArrayList<>(draft.problems());
        SourceMap where = draft.where();

        textProblems(f, "", "", where, problems);
        nfc(f);
        Office office = office(f, context, where, problems);
        if (f.path("tlp").isTextual()) {
            String label = f.get("tlp").asText();
            try {
                f.put("tlp", Tlp.of(label).label());
            } catch (IllegalArgumentException e) {
                // left as is: the schema names the allowed labels
            }
        }
        date(f, "sentAt", office, where, problems);
        date(f, "receivedAt", office, where, problems);
        formDefaults(f, draft.format());
        hubFields(f, draft, origin);

        List<AlertSchema.Violation> violations = new ArrayList<>(AlertSchema.get().validate(f));
        violations.addAll(AlertRules.check(f));
        for (AlertSchema.Violation v : violations) {
            // a field name with a control character is already named (escaped) by the text check
            boolean known = textFault(v.field()) != null || problems.stream().anyMatch(p -> !p.field().isEmpty()
                    && (v.field().equals(p.field()) || v.field().startsWith(p.field() + ".")
                    || v.field().startsWith(p.field() + "[")));
            if (!known) {
                problems.add(new Problem(v.field(), v.message(), where.find(v.pointer())));
            }
        }
        String sourceRef = f.path("sourceRef").isTextual() ? f.get("sourceRef").asText() : null;
        String officeId = office != null ? office.id() : null;
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt((Problem p) -> p.at().line()).thenComparingInt(p -> p.at().column()));
            return new Outcome.Rejected(sourceRef, officeId, originalId(draft, origin), where.start(), List.copyOf(problems));
        }
        return new Outcome.Accepted(AlertJson.fromTree(f));
    }

    /** The office is the one the channel names (an authenticated sender); a payload may only agree with it. */
    private Office office(ObjectNode f, ReadContext context, SourceMap where, List<Problem> problems) {
        String named = f.path("office").isTextual() ? f.get("office").asText() : null;
        if (context.office() != null) {
            if (named != null && !named.equals(context.office().id())) {
                problems.add(new Problem("office", "the alert names office '" + named + "' but comes from "
                        + context.office().id(), where.find("/office")));
            }
            f.put("office", context.office().id());
            return context.office();
        }
        if (named == null) {
            problems.add(new Problem("office", "no office: the channel names none and neither does the alert",
                    where.start()));
            return null;
        }
        Optional<Office> found = context.offices().find(named);
        if (found.isEmpty()) {
            problems.add(new Problem("office", "unknown office '" + named + "' (not in offices.yaml)", where.find("/office")));
            return null;
        }
        return found.get();
    }

    private void date(ObjectNode f, String field, Office office, SourceMap where, List<Problem> problems) {
        JsonNode v = f.get(field);
        if (v == null || !v.isTextual()) {
            return;
        }
        String text = v.asText();
        OffsetDateTime parsed = null;
        for (DateTimeFormatter withOffset : List.of(OFFSET, OFFSET_COMPACT)) {
            try {
                parsed = OffsetDateTime.parse(text, withOffset);
                break;
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        if (parsed == null) {
            try {
                LocalDateTime local = LocalDateTime.parse(text, LOCAL);
                if (office == null) {
                    problems.add(new Problem(field, "'" + text + "' has no offset and no office time zone applies",
                            where.find("/" + field)));
                    return;
                }
                parsed = local.atZone(office.timeZone()).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                problems.add(new Problem(field, "'" + text + "' is not an ISO-8601 date-time (e.g. 2026-11-23T10:15:00+07:00)",
                        where.find("/" + field)));
                return;
            }
        }
        f.put(field, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(parsed));
    }

    /** An absent status is Actual and an absent msgType Alert, in a form; a value given is checked as given. */
    private static void formDefaults(ObjectNode f, OriginalFormat format) {
        if (!FORMS.contains(format)) {
            return;
        }
        if (!f.has("status")) {
            f.put("status", Alert.Status.Actual.name());
        }
        if (!f.has("msgType")) {
            f.put("msgType", Alert.MsgType.Alert.name());
        }
    }

    private void hubFields(ObjectNode f, Draft draft, Origin origin) {
        boolean keep = origin.keepHubFields();
        if (!f.has("schemaVersion")) {
            f.put("schemaVersion", Alert.SCHEMA_VERSION);
        }
        if (!keep || !f.has("alertId")) {
            f.put("alertId", alertId(f.path("office").asText(null), f.path("sourceRef").asText(null)));
        }
        if (!keep || !f.has("receivedAt")) {
            f.put("receivedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)));
        }
        if (keep && f.path("provenance").has("channel")) {
            return;
        }
        JsonNode read = f.path("provenance");
        ObjectNode p = f.putObject("provenance");
        p.put("channel", origin.channel().name());
        p.put("originalFormat", draft.format().name());
        String originalId = originalId(draft, origin);
        if (originalId != null) {
            p.put("originalId", originalId);
        }
        for (String kept : List.of("declaredCharset", "capSender", "capIdentifier")) {
            if (read.path(kept).isTextual()) {
                p.put(kept, read.get(kept).asText());
            }
        }
        if (origin.rawSha256() != null) {
            p.put("rawSha256", origin.rawSha256());
        }
    }

    /**
     * The alert's id is a name-based UUID of (office, sourceRef), the dedupe key: a redelivered
     * message gets the same id again, so the broker's duplicate detection on deliveries holds
     * across a crash, and a DUPLICATE names the first alert's id.
     */
    public static String alertId(String office, String sourceRef) {
        if (office == null || sourceRef == null) {
            return UUID.randomUUID().toString();
        }
        return UUID.nameUUIDFromBytes(("urn:blo:alert:" + office + "\n" + sourceRef)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** The input's id within its channel; a name from outside with a control character in it is escaped. */
    private static String originalId(Draft draft, Origin origin) {
        String id = draft.originalId() != null ? draft.originalId() : origin.originalId();
        return textFault(id == null ? "" : id) == null ? id : CleanText.escape(id);
    }

    /**
     * Every string the sender supplied, at any depth, may hold only what alert text may hold: no control character
     * other than TAB, LF and CR ({@link CleanText}), and only characters XML 1.0 can carry (no lone surrogate, no
     * U+FFFE or U+FFFF), so that every rendering of a valid alert can be written. Keys are named as JSON paths.
     */
    private static void textProblems(JsonNode node, String field, String pointer, SourceMap where,
                                     List<Problem> problems) {
        if (node.isTextual()) {
            String why = textFault(node.asText());
            if (why != null) {
                problems.add(new Problem(field, why, where.find(pointer)));
            }
        } else if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                String child = field.isEmpty() ? key : field + "." + key;
                if (textFault(key) != null) {
                    problems.add(new Problem(CleanText.escape(child), "field name: " + textFault(key), where.find(pointer)));
                    continue;
                }
                textProblems(e.getValue(), child, pointer + "/" + key, where, problems);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                textProblems(a.get(i), field + "[" + i + "]", pointer + "/" + i, where, problems);
            }
        }
    }

    /** What is wrong with a text for an alert, naming the character and its place (1-based), or null. */
    static String textFault(String s) {
        int i = CleanText.firstForbidden(s);
        if (i >= 0) {
            return "control character " + CleanText.name(s.charAt(i)) + " at character " + (i + 1)
                    + " (only TAB, LF and CR are allowed)";
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                return "unpaired surrogate " + CleanText.name(c) + " at character " + (k + 1)
                        + " (not a character: text must be valid Unicode)";
            } else if (c == '\uFFFE' || c == '\uFFFF') {
                return "noncharacter " + CleanText.name(c) + " at character " + (k + 1) + " (not allowed in alert text)";
            }
        }
        return null;
    }

    /** NFC on every string of the tree (windows-1258 Vietnamese decodes to combining marks). */
    private static void nfc(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(clean(e.getKey(), e.getValue().asText())));
                } else {
                    nfc(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(clean("", a.get(i).asText())));
                } else {
                    nfc(a.get(i));
                }
            }
        }
    }

    /** NFC; surrounding white space trimmed, except in a description, whose layout is the sender's. */
    private static String clean(String field, String text) {
        String n = java.text.Normalizer.normalize(text, Form.NFC);
        return field.equals("description") ? n : n.strip();
    }
}
