package org.blohub.render;

import org.blohub.alert.Alert;

/** Writes an alert in one of the renderings an agency can ask for (DESIGN §4): json, xml, cap. */
public interface AlertRenderer {

    /** {@code json}, {@code xml} or {@code cap}: the name agencies.yaml and {@code convert --to} use. */
    String name();

    /** The MIME type of the rendering, for mail attachments and HTTP. */
    String mimeType();

    /** The whole document, UTF-8 text. */
    String render(Alert alert);
}
