package org.blohub.alert;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What the schema cannot state: TLP:RED needs addressees; Update and Cancel need references;
 * country codes must be real ISO 3166-1 alpha-2 codes (the schema only checks their shape).
 */
public final class AlertRules {

    private AlertRules() {
    }

    public static List<AlertSchema.Violation> check(JsonNode alert) {
        List<AlertSchema.Violation> out = new ArrayList<>();
        if ("TLP:RED".equals(alert.path("tlp").asText()) && alert.path("addressees").isEmpty()) {
            out.add(new AlertSchema.Violation("addressees", "/tlp",
                    "TLP:RED needs addressees: the agencies that may receive it"));
        }
        String msgType = alert.path("msgType").asText();
        if ((msgType.equals("Update") || msgType.equals("Cancel")) && alert.path("references").isEmpty()) {
            out.add(new AlertSchema.Violation("references", "/msgType",
                    "an " + msgType + " must name the alerts it " + (msgType.equals("Update") ? "updates" : "cancels")
                            + " in references"));
        }
        JsonNode areas = alert.path("areas");
        for (int i = 0; i < areas.size(); i++) {
            country(out, areas.get(i).path("country"), "areas[" + i + "].country", "/areas/" + i + "/country");
        }
        JsonNode concerned = alert.path("countriesConcerned");
        for (int i = 0; i < concerned.size(); i++) {
            country(out, concerned.get(i), "countriesConcerned[" + i + "]", "/countriesConcerned/" + i);
        }
        JsonNode subjects = alert.path("subjects");
        for (int i = 0; i < subjects.size(); i++) {
            country(out, subjects.get(i).path("nationality"), "subjects[" + i + "].nationality",
                    "/subjects/" + i + "/nationality");
        }
        return out;
    }

    private static void country(List<AlertSchema.Violation> out, JsonNode code, String field, String pointer) {
        if (code.isTextual() && code.asText().matches("[A-Z]{2}") && !Countries.isAlpha2(code.asText())) {
            out.add(new AlertSchema.Violation(field, pointer, "'" + code.asText() + "' is not an ISO 3166-1 alpha-2 country code"));
        }
    }
}
