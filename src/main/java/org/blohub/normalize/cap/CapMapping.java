package org.blohub.normalize.cap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.alert.AlertJson;
import org.blohub.alert.Sha256;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.SourceMap;
import org.blohub.normalize.xml.XmlElement;
import org.blohub.office.Office;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.blohub.normalize.cap.CapVocabulary.*;

/**
 * Maps one parsed CAP {@code alert} element to a draft (DESIGN §5.3). Values go in as written;
 * CAP's required elements that are missing or empty become problems naming the element. When the
 * first {@code info} carries {@code urn:blo:sourceRef}, the document is the hub's own rendering and
 * its {@code urn:blo:*} parameters restore the fields CAP has no element for.
 */
final class CapMapping {

    private static final ObjectMapper JSON = AlertJson.mapper();
    private static final Pattern LEADING_PLUS = Pattern.compile("(^|[\\s,])\\+(?=[\\d.])");
    private static final Pattern MIME_TYPE = Pattern.compile("[\\w.+-]+/[\\w.+-]+");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int MAX_FILENAME = 255;

    private final XmlElement alert;
    private final ReadContext context;
    private final String declaredCharset;
    private final ObjectNode fields = JSON.createObjectNode();
    private final SourceMap where;
    private final Draft draft;
    private final List<XmlElement> infos;
    private final XmlElement first;
    private final Map<String, List<XmlElement>> bloParameters = new LinkedHashMap<>();
    private final boolean hubRendering;

    CapMapping(XmlElement alert, ReadContext context, String declaredCharset) {
        this.alert = alert;
        this.context = context;
        this.declaredCharset = declaredCharset;
        this.where = new SourceMap(alert.at());
        this.draft = new Draft(fields, where, OriginalFormat.CAP, context.sourceName());
        this.infos = alert.children("info");
        this.first = infos.isEmpty() ? null : infos.get(0);
        if (first != null) {
            for (XmlElement p : first.children("parameter")) {
                String name = p.childText("valueName").orElse("");
                if (name.startsWith("urn:blo:")) {
                    bloParameters.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
                }
            }
        }
        this.hubRendering = bloParameters.containsKey(SOURCE_REF);
    }

    Draft draft() {
        Optional<Located> identifier = required(alert, "identifier", "");
        Optional<Located> sender = required(alert, "sender", "");
        Optional<Located> sent = required(alert, "sent", "");
        Optional<Located> status = required(alert, "status", "");
        Optional<Located> msgType = required(alert, "msgType", "");
        Optional<Located> scope = required(alert, "scope", "");
        for (int i = 0; i < infos.size(); i++) {
            String in = " (info " + (i + 1) + ")";
            XmlElement info = infos.get(i);
            required(info, "category", in);
            required(info, "event", in);
            required(info, "urgency", in);
            required(info, "severity", in);
            required(info, "certainty", in);
        }

        parameter(SCHEMA_VERSION).ifPresent(v -> text("schemaVersion", v));
        if (hubRendering) {
            // the hub writes its alertId as the identifier and the office's own reference as a parameter
            identifier.ifPresent(v -> text("alertId", v));
            parameter(SOURCE_REF).ifPresent(v -> text("sourceRef", v));
        } else {
            identifier.ifPresent(v -> text("sourceRef", v));
        }
        sender.filter(s -> context.offices() != null && context.offices().find(s.text()).isPresent())
                .ifPresent(v -> text("office", v));
        Optional<Located> exactSent = parameter(SENT_AT);
        (exactSent.isPresent() ? exactSent : sent).ifPresent(v -> text("sentAt", v));
        parameter(RECEIVED_AT).ifPresent(v -> text("receivedAt", v));
        status.ifPresent(v -> text("status", v));
        msgType.ifPresent(v -> text("msgType", v));
        references();
        category();
        assessment();
        languageAndTexts();
        translations();
        areas(sender.map(Located::text).orElse(null));
        list("countriesConcerned", COUNTRIES_CONCERNED);
        jsonItems("subjects", SUBJECT);
        if (bloParameters.containsKey(ATTACHMENT)) {
            jsonItems("attachments", ATTACHMENT);
        } else {
            resources();
        }
        String scopeValue = scope.map(Located::text).orElse(null);
        tlp(scope);
        list("handlingCodes", HANDLING_CODES);
        grading();
        addressees(scopeValue);
        provenance(identifier, sender);
        return draft;
    }

    /** A value as written and where it stood. */
    private record Located(String text, Position at) {
    }

    private Optional<Located> required(XmlElement parent, String name, String inInfo) {
        Optional<XmlElement> e = parent.child(name);
        if (e.isEmpty()) {
            draft.problem(name, "CAP element <" + name + "> is missing" + inInfo, parent.at());
            return Optional.empty();
        }
        String t = e.get().text().trim();
        if (t.isEmpty()) {
            draft.problem(name, "CAP element <" + name + "> is empty" + inInfo, e.get().at());
            return Optional.empty();
        }
        return Optional.of(new Located(t, e.get().at()));
    }

    private void text(String field, Located value) {
        fields.put(field, value.text());
        where.put("/" + field, value.at());
    }

    /** Trimmed text of a child; empty when absent or blank. */
    private static Optional<Located> trimmed(XmlElement parent, String name) {
        return parent.child(name).flatMap(e -> {
            String t = e.text().trim();
            return t.isEmpty() ? Optional.empty() : Optional.of(new Located(t, e.at()));
        });
    }

    /** Free text (headline, description, areaDesc) exactly as written; empty when absent or blank. */
    private static Optional<Located> verbatim(XmlElement parent, String name) {
        return parent.child(name).filter(e -> !e.text().isBlank()).map(e -> new Located(e.text(), e.at()));
    }

    private Optional<Located> parameter(String name) {
        List<XmlElement> ps = bloParameters.get(name);
        return ps == null ? Optional.empty() : value(ps.get(0));
    }

    private static Optional<Located> value(XmlElement parameter) {
        return trimmed(parameter, "value");
    }

    private void references() {
        List<XmlElement> exact = bloParameters.get(REFERENCES);
        if (exact != null) {
            json(exact.get(0), REFERENCES, "references").ifPresent(n -> {
                fields.set("references", n);
                where.put("/references", exact.get(0).at());
            });
            return;
        }
        trimmed(alert, "references").ifPresent(refs -> {
            ArrayNode list = fields.putArray("references");
            where.put("/references", refs.at());
            for (String item : refs.text().split("\\s+")) {
                String[] parts = item.split(",", -1);
                if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    draft.problem("references", "CAP reference '" + item + "' is not sender,identifier,sent", refs.at());
                    continue;
                }
                where.put("/references/" + list.size(), refs.at());
                list.addObject().put("office", parts[0]).put("sourceRef", parts[1]);
            }
        });
    }

    private void category() {
        ArrayNode list = JSON.createArrayNode();
        if (first != null) {
            for (XmlElement code : first.children("eventCode")) {
                if (CATEGORY.equals(code.childText("valueName").orElse(null))) {
                    Optional<String> v = code.childText("value");
                    if (v.isPresent()) {
                        where.put("/category/" + list.size(), code.at());
                        list.add(v.get());
                    }
                }
            }
        }
        if (list.isEmpty()) {
            list.add("OTHER");
            where.put("/category", first != null ? first.at() : alert.at());
        }
        fields.set("category", list);
    }

    /** Urgency, severity, certainty of the first info; CAP's "Unknown" when the alert has no info at all. */
    private void assessment() {
        if (first == null) {
            for (String f : List.of("urgency", "severity", "certainty")) {
                text(f, new Located("Unknown", alert.at()));
            }
            return;
        }
        trimmed(first, "urgency").ifPresent(v -> text("urgency", v));
        trimmed(first, "severity").ifPresent(v -> text("severity", v));
        // CAP 1.1 had "Very Likely", which CAP 1.2 folded into "Likely"
        trimmed(first, "certainty").map(v -> v.text().equals("Very Likely") ? new Located("Likely", v.at()) : v)
                .ifPresent(v -> text("certainty", v));
    }

    private void languageAndTexts() {
        if (first == null) {
            text("language", new Located(DEFAULT_LANGUAGE, alert.at()));
            return;
        }
        text("language", trimmed(first, "language").orElse(new Located(DEFAULT_LANGUAGE, first.at())));
        headline(first).ifPresent(v -> text("headline", v));
        verbatim(first, "description").ifPresent(v -> text("description", v));
    }

    /** The headline; a foreign CAP without one is named by its event (the hub writes its own headline as is). */
    private Optional<Located> headline(XmlElement info) {
        Optional<Located> h = verbatim(info, "headline");
        return h.isPresent() || hubRendering ? h : trimmed(info, "event");
    }

    private void translations() {
        if (infos.size() < 2) {
            return;
        }
        // one info per language: the first of each is kept, a later one in the same language is left out
        Set<String> languages = new HashSet<>();
        languages.add(fields.path("language").asText().toLowerCase(Locale.ROOT));
        ArrayNode list = JSON.createArrayNode();
        for (int i = 1; i < infos.size(); i++) {
            XmlElement info = infos.get(i);
            Located language = trimmed(info, "language").orElse(new Located(DEFAULT_LANGUAGE, info.at()));
            if (!languages.add(language.text().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (list.isEmpty()) {
                where.put("/translations", info.at());
            }
            String p = "/translations/" + list.size();
            ObjectNode t = list.addObject();
            where.put(p, info.at());
            t.put("language", language.text());
            where.put(p + "/language", language.at());
            headline(info).ifPresent(v -> {
                t.put("headline", v.text());
                where.put(p + "/headline", v.at());
            });
            verbatim(info, "description").ifPresent(v -> {
                t.put("description", v.text());
                where.put(p + "/description", v.at());
            });
        }
        if (!list.isEmpty()) {
            fields.set("translations", list);
        }
    }

    /**
     * Areas of the first info that has any (the hub repeats the same areas in every info). An area
     * with several polygons or circles becomes one area per shape; with none at all, the alert is
     * placed at the office.
     */
    private void areas(String sender) {
        Optional<Office> office = context.office() != null || context.offices() != null
                ? context.officeOr(sender) : Optional.empty();
        List<XmlElement> capAreas = infos.stream().map(i -> i.children("area")).filter(a -> !a.isEmpty())
                .findFirst().orElse(List.of());
        ArrayNode list = JSON.createArrayNode();
        if (capAreas.isEmpty()) {
            if (office.isEmpty()) {
                draft.problem("areas", "the CAP alert has no <area> and names no known office to place it at", alert.at());
                return;
            }
            where.put("/areas", alert.at());
            where.put("/areas/0", alert.at());
            list.addObject().put("areaDesc", office.get().name()).put("country", office.get().country());
            fields.set("areas", list);
            return;
        }
        where.put("/areas", capAreas.get(0).at());
        for (XmlElement area : capAreas) {
            areaShapes(area, office, list);
        }
        fields.set("areas", list);
    }

    private void areaShapes(XmlElement area, Optional<Office> office, ArrayNode list) {
        ObjectNode base = JSON.createObjectNode();
        Map<String, Position> at = new LinkedHashMap<>();
        String field = "areas[" + list.size() + "]";
        Optional<Located> desc = verbatim(area, "areaDesc");
        if (desc.isPresent()) {
            base.put("areaDesc", desc.get().text());
            at.put("areaDesc", desc.get().at());
        } else {
            draft.problem(field + ".areaDesc", "CAP element <areaDesc> is missing or empty", area.at());
        }
        Optional<Located> country = Optional.empty();
        Optional<Located> unLocode = Optional.empty();
        Optional<Located> point = Optional.empty();
        for (XmlElement geocode : area.children("geocode")) {
            String name = geocode.childText("valueName").orElse("");
            Optional<Located> v = value(geocode);
            switch (name) {
                case GEO_COUNTRY -> country = country.or(() -> v);
                case GEO_UN_LOCODE -> unLocode = unLocode.or(() -> v);
                case GEO_POINT -> point = point.or(() -> v);
                default -> {
                    // other geocodes (FIPS, SAME, UGC, ...) have no place in the common alert
                }
            }
        }
        if (country.isPresent()) {
            base.put("country", country.get().text());
            at.put("country", country.get().at());
        } else if (office.isPresent()) {
            base.put("country", office.get().country());
            at.put("country", area.at());
        } else {
            draft.problem(field + ".country", "the CAP area has no " + GEO_COUNTRY
                    + " geocode and names no known office to take the country from", area.at());
        }
        unLocode.ifPresent(v -> {
            base.put("unLocode", v.text());
            at.put("unLocode", v.at());
        });
        point.ifPresent(p -> point(p, base, at, field));

        List<Located> polygons = shapes(area, "polygon");
        List<Located> circles = shapes(area, "circle");
        if (polygons.size() <= 1 && circles.size() <= 1) {
            ObjectNode a = base.deepCopy();
            polygons.forEach(p -> a.put("polygon", p.text()));
            circles.forEach(c -> a.put("circle", c.text()));
            add(list, a, at, polygons.isEmpty() ? null : polygons.get(0), circles.isEmpty() ? null : circles.get(0), area.at());
            return;
        }
        for (Located p : polygons) {
            add(list, base.deepCopy().put("polygon", p.text()), at, p, null, area.at());
        }
        for (Located c : circles) {
            add(list, base.deepCopy().put("circle", c.text()), at, null, c, area.at());
        }
    }

    private void add(ArrayNode list, ObjectNode area, Map<String, Position> at, Located polygon, Located circle,
                     Position areaAt) {
        String p = "/areas/" + list.size();
        where.put(p, areaAt);
        at.forEach((k, v) -> where.put(p + "/" + k, v));
        if (polygon != null) {
            where.put(p + "/polygon", polygon.at());
        }
        if (circle != null) {
            where.put(p + "/circle", circle.at());
        }
        list.add(area);
    }

    private static List<Located> shapes(XmlElement area, String name) {
        List<Located> result = new ArrayList<>();
        for (XmlElement e : area.children(name)) {
            // a coordinate may be written with a sign, "+35.1": the common alert writes it without
            String t = LEADING_PLUS.matcher(e.text().trim()).replaceAll("$1");
            if (!t.isEmpty()) {
                result.add(new Located(t, e.at()));
            }
        }
        return result;
    }

    /** {@code urn:blo:point} = "lat,lon", numbers as written. */
    private void point(Located p, ObjectNode area, Map<String, Position> at, String field) {
        String[] parts = p.text().split(",", -1);
        if (parts.length != 2) {
            draft.problem(field + ".lat", GEO_POINT + " '" + p.text() + "' is not lat,lon", p.at());
            return;
        }
        String[] names = {"lat", "lon"};
        for (int i = 0; i < 2; i++) {
            String n = parts[i].trim();
            if (n.isEmpty()) {
                continue;
            }
            try {
                area.put(names[i], new BigDecimal(n));
                at.put(names[i], p.at());
            } catch (NumberFormatException e) {
                draft.problem(field + "." + names[i], "'" + n + "' is not a number", p.at());
            }
        }
    }

    /** A whitespace-separated list parameter. */
    private void list(String field, String parameter) {
        parameter(parameter).ifPresent(v -> {
            ArrayNode list = fields.putArray(field);
            where.put("/" + field, v.at());
            for (String item : v.text().split("\\s+")) {
                list.add(item);
            }
        });
    }

    /** One JSON object per parameter (subjects, attachments). */
    private void jsonItems(String field, String parameter) {
        List<XmlElement> ps = bloParameters.get(parameter);
        if (ps == null) {
            return;
        }
        ArrayNode list = JSON.createArrayNode();
        for (XmlElement p : ps) {
            int index = list.size();
            json(p, parameter, field + "[" + index + "]").ifPresent(n -> {
                where.put("/" + field + "/" + index, p.at());
                list.add(n);
            });
        }
        if (!list.isEmpty()) {
            where.put("/" + field, ps.get(0).at());
            fields.set(field, list);
        }
    }

    /**
     * A foreign CAP's {@code resource}s, as attachment metadata: their content is not kept. The name is the last
     * segment of the {@code uri}, else the {@code resourceDesc}; the size and SHA-256 are those of the decoded
     * {@code derefUri}, else CAP's {@code size} and a {@code digest} that is a SHA-256. A resource whose SHA-256 is
     * not known (a link with a SHA-1 digest or none) is left out. Resources are taken from the first info that has
     * any, like areas.
     */
    private void resources() {
        List<XmlElement> capResources = infos.stream().map(i -> i.children("resource")).filter(r -> !r.isEmpty())
                .findFirst().orElse(List.of());
        ArrayNode list = JSON.createArrayNode();
        Set<String> seen = new HashSet<>();
        for (XmlElement r : capResources) {
            String field = "attachments[" + list.size() + "]";
            String filename = filename(r);
            String mimeType = trimmed(r, "mimeType").map(m -> m.text().split(";", 2)[0].trim())
                    .filter(m -> MIME_TYPE.matcher(m).matches()).orElse("application/octet-stream");
            Long size = null;
            String sha256 = null;
            Optional<XmlElement> deref = r.child("derefUri").filter(d -> !d.text().isBlank());
            if (deref.isPresent()) {
                byte[] content;
                try {
                    content = Base64.getMimeDecoder().decode(deref.get().text().strip());
                } catch (IllegalArgumentException e) {
                    draft.problem(field, "the <derefUri> of resource '" + filename + "' is not base64: "
                            + e.getMessage(), deref.get().at());
                    continue;
                }
                size = (long) content.length;
                sha256 = Sha256.hex(content);
            } else {
                sha256 = trimmed(r, "digest").map(Located::text).filter(d -> SHA256.matcher(d).matches())
                        .map(d -> d.toLowerCase(Locale.ROOT)).orElse(null);
                Optional<Located> capSize = trimmed(r, "size");
                if (capSize.isPresent()) {
                    try {
                        size = Long.parseLong(capSize.get().text());
                    } catch (NumberFormatException e) {
                        draft.problem(field + ".size", "CAP <size> '" + capSize.get().text() + "' is not a number",
                                capSize.get().at());
                        continue;
                    }
                }
            }
            if (sha256 == null || size == null || !seen.add(sha256 + "/" + filename)) {
                continue;
            }
            String p = "/attachments/" + list.size();
            where.put(p, r.at());
            list.addObject().put("filename", filename).put("mimeType", mimeType).put("size", size).put("sha256", sha256);
        }
        if (!list.isEmpty()) {
            where.put("/attachments", capResources.get(0).at());
            fields.set("attachments", list);
        }
    }

    private static String filename(XmlElement resource) {
        String name = trimmed(resource, "uri").map(u -> {
            String path = u.text().replaceFirst("[?#].*$", "");
            return path.substring(path.lastIndexOf('/') + 1);
        }).filter(n -> !n.isBlank()).orElseGet(() -> trimmed(resource, "resourceDesc").map(Located::text).orElse("resource"));
        return name.length() > MAX_FILENAME ? name.substring(0, MAX_FILENAME) : name;
    }


    private Optional<JsonNode> json(XmlElement parameter, String name, String field) {
        Optional<Located> v = value(parameter);
        if (v.isEmpty()) {
            draft.problem(field, "parameter " + name + " has no value", parameter.at());
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(v.get().text());
            if (n == null || !(n.isObject() || n.isArray())) {
                draft.problem(field, "parameter " + name + " is not a JSON object or array", v.get().at());
                return Optional.empty();
            }
            return Optional.of(n);
        } catch (JsonProcessingException e) {
            draft.problem(field, "parameter " + name + " is not valid JSON: " + e.getOriginalMessage(), v.get().at());
            return Optional.empty();
        }
    }

    /** A {@code code} of the form TLP:... wins; otherwise the scope says how far the alert may go. */
    private void tlp(Optional<Located> scope) {
        Optional<Located> code = alert.children("code").stream()
                .map(c -> new Located(c.text().trim(), c.at()))
                .filter(c -> c.text().toUpperCase(Locale.ROOT).startsWith("TLP:"))
                .findFirst();
        Optional<Located> fromScope = scope.flatMap(s -> switch (s.text()) {
            case "Public" -> Optional.of(new Located("TLP:CLEAR", s.at()));
            case "Restricted" -> Optional.of(new Located("TLP:AMBER", s.at()));
            case "Private" -> Optional.of(new Located("TLP:RED", s.at()));
            default -> {
                draft.problem("scope", "CAP <scope> '" + s.text() + "' is not Public, Restricted or Private", s.at());
                yield Optional.empty();
            }
        });
        code.or(() -> fromScope).ifPresent(v -> text("tlp", v));
    }

    /** {@code urn:blo:grading} = source letter and information digit, e.g. "B2". */
    private void grading() {
        parameter(GRADING).ifPresent(v -> {
            ObjectNode g = fields.putObject("grading");
            where.put("/grading", v.at());
            String t = v.text();
            g.put("source", t.substring(0, 1));
            where.put("/grading/source", v.at());
            String information = t.substring(1).trim();
            if (information.isEmpty()) {
                return;
            }
            try {
                g.put("information", Integer.parseInt(information));
                where.put("/grading/information", v.at());
            } catch (NumberFormatException e) {
                draft.problem("grading.information", "'" + information + "' is not a number", v.at());
            }
        });
    }

    /** Named recipients: the hub's own parameter, else a Private alert's {@code addresses}. */
    private void addressees(String scope) {
        if (bloParameters.containsKey(ADDRESSEES)) {
            list("addressees", ADDRESSEES);
            return;
        }
        if (!"Private".equals(scope)) {
            return;
        }
        trimmed(alert, "addresses").ifPresent(v -> {
            ArrayNode list = fields.putArray("addressees");
            where.put("/addressees", v.at());
            splitAddresses(v.text()).forEach(list::add);
        });
    }

    private void provenance(Optional<Located> identifier, Optional<Located> sender) {
        List<XmlElement> exact = bloParameters.get(PROVENANCE);
        if (exact != null) {
            json(exact.get(0), PROVENANCE, "provenance").ifPresent(n -> {
                fields.set("provenance", n);
                where.put("/provenance", exact.get(0).at());
            });
            return;
        }
        ObjectNode p = JSON.createObjectNode();
        if (declaredCharset != null) {
            p.put("declaredCharset", declaredCharset);
            where.put("/provenance/declaredCharset", Position.line(1));
        }
        sender.ifPresent(s -> {
            p.put("capSender", s.text());
            where.put("/provenance/capSender", s.at());
        });
        identifier.ifPresent(i -> {
            p.put("capIdentifier", i.text());
            where.put("/provenance/capIdentifier", i.at());
        });
        if (!p.isEmpty()) {
            where.put("/provenance", alert.at());
            fields.set("provenance", p);
        }
    }
}
