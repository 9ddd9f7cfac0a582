package org.blohub.normalize;

import org.blohub.normalize.cap.CapReader;
import org.blohub.normalize.flat.CsvAlertReader;
import org.blohub.normalize.flat.EmailFormReader;
import org.blohub.normalize.json.JsonAlertReader;
import org.blohub.normalize.xml.BloXmlReader;

import java.util.List;

/** Every inbound format's reader (DESIGN §5). */
public final class Readers {

    private Readers() {
    }

    public static List<AlertReader> all() {
        return List.of(new JsonAlertReader(), new BloXmlReader(), new CapReader(), new CsvAlertReader(), new EmailFormReader());
    }
}
