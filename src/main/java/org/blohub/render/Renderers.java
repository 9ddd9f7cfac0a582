package org.blohub.render;

import java.util.List;
import java.util.Optional;

/** The renderings an agency can ask for (DESIGN §4), by name. */
public final class Renderers {

    private static final List<AlertRenderer> ALL = List.of(new JsonRenderer(), new XmlRenderer(), new CapRenderer());

    private Renderers() {
    }

    public static Optional<AlertRenderer> named(String name) {
        return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(AlertRenderer::name).toList();
    }
}
