package org.blohub.render;

import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;

/** The canonical JSON of DESIGN §4, one line. */
public final class JsonRenderer implements AlertRenderer {

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String mimeType() {
        return "application/json";
    }

    @Override
    public String render(Alert alert) {
        return AlertJson.write(alert);
    }
}
