package org.blohub.normalize.cap;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.normalize.Draft;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared by the CAP tests: the shared directory, the OASIS schema, offices, reading, comparing. */
public final class CapTestSupport {

    public static final Office LAO_CAI = office("VN-LAOCAI", "VN", "BLO Lào Cai", "Asia/Ho_Chi_Minh", "vi", "UTF-8");

    private CapTestSupport() {
    }

    public static Office office(String id, String country, String name, String zone, String language, String charset) {
        return new Office(id, country, name, ZoneId.of(zone), language, Charset.forName(charset), null, List.of(), id.toLowerCase());
    }

    public static Path shared(String sub) {
        return org.blohub.SharedDir.require(sub);
    }

    public static ReadContext context(Office channelOffice, OfficeRegistry offices) {
        return new ReadContext("test.cap", channelOffice, offices, null, InputLimits.DEFAULT);
    }

    public static Draft readOne(byte[] bytes, ReadContext context) throws UnreadableInputException {
        List<Draft> drafts = new ArrayList<>();
        new CapReader().read(new ByteArrayInputStream(bytes), context, drafts::add);
        assertThat(drafts).as("one draft per CAP document").hasSize(1);
        return drafts.get(0);
    }

    public static Draft readOne(String xml, ReadContext context) throws UnreadableInputException {
        return readOne(xml.getBytes(StandardCharsets.UTF_8), context);
    }

    /** Validates against the OASIS CAP 1.2 schema with a factory that may fetch nothing. */
    public static void assertValidCap12(String xml) throws Exception {
        SchemaFactory f = SchemaFactory.newDefaultInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        Path xsd = shared("reference/cap12.xsd");
        Schema schema = f.newSchema(new StreamSource(new StringReader(Files.readString(xsd)), xsd.toUri().toString()));
        Validator v = schema.newValidator();
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        v.validate(new StreamSource(new StringReader(xml)));
    }

    /**
     * Leaf equality for comparing a read-back tree with the original's: numbers by value (a double
     * and the decimal written for it), dates as the same instant and offset (CAP writes UTC as
     * -00:00), everything else exactly.
     */
    public static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        }
        if (a.isTextual() && b.isTextual()) {
            try {
                return OffsetDateTime.parse(a.asText()).equals(OffsetDateTime.parse(b.asText())) ? 0 : 1;
            } catch (DateTimeParseException e) {
                return 1;
            }
        }
        return 1;
    };
}
