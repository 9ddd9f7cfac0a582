package org.blohub.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.alert.Tlp;
import org.blohub.normalize.InputLimits;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MailDeliveryTest {

    static Alert alert(String tlp) {
        return AlertJson.fromJson("""
                {"schemaVersion":"1.0","alertId":"11111111-2222-3333-4444-555555555555","sourceRef":"R1",
                 "office":"VN-LAOCAI","sentAt":"2026-11-23T09:15:00+07:00","receivedAt":"2026-11-23T02:15:01Z",
                 "status":"Actual","msgType":"Alert","category":["TRAFFICKING_IN_PERSONS"],"urgency":"Immediate",
                 "severity":"Severe","certainty":"Observed","language":"vi","headline":"Hai phụ nữ bị lừa\\nqua biên giới",
                 "areas":[{"areaDesc":"Lào Cai","country":"VN"}],"tlp":"%s",
                 "provenance":{"channel":"EMAIL","originalFormat":"EMAIL_FORM"}}
                """.formatted(tlp));
    }

    @Test
    void theSubjectNamesTheTlpLabelAndTheIdAndTheHeadlineOnlyWhenItMayBeShared() {
        String id = "11111111-2222-3333-4444-555555555555";
        assertThat(MailDelivery.subject(id, alert("TLP:GREEN"))).isEqualTo("[TLP:GREEN] BLO alert " + id
                + ": Hai phụ nữ bị lừa qua biên giới");
        assertThat(MailDelivery.subject(id, alert("TLP:CLEAR"))).endsWith(": Hai phụ nữ bị lừa qua biên giới");
        for (Tlp t : List.of(Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)) {
            assertThat(MailDelivery.subject(id, alert(t.label()))).isEqualTo("[" + t.label() + "] BLO alert " + id);
        }
        assertThat(MailDelivery.subject(id, null)).isEqualTo("BLO alert " + id);
    }

    @Test
    void capIsAnAttachmentJsonIsTheBodyAndOnlyTheHubsHeadersAreSet() throws Exception {
        MailReader reader = new MailReader(OfficeRegistry.load(Path.of("config")), InputLimits.DEFAULT, "blo-hub.local",
                new EmbeddedSenderProof(), MailReader.DEFAULT_MAX_ALERT_PARTS);
        MailDelivery d = new MailDelivery(reader.session(), "alerts@blo-hub.local", new AgencyRegistry(List.of()), null,
                Set.of("cap"));
        Alert red = alert("TLP:RED");
        Agency cyber = new Agency("VN-CYBER247", "VN", "cyber", Collections.emptySet(), Alert.Severity.Unknown, Tlp.RED,
                false, Agency.Delivery.smtp("vn-cyber247@agencies.blo-hub.local", Agency.Rendering.CAP));
        MimeMessage cap = d.mail(cyber, red.alertId(), red, "<alert>ắ</alert>", "application/common-alerting-protocol+xml");
        assertThat(cap.getMessageID()).isEqualTo("<" + red.alertId() + ".VN-CYBER247@blo-hub.local>");
        assertThat(cap.getSubject()).isEqualTo("[TLP:RED] BLO alert " + red.alertId());
        BodyPart file = ((Multipart) cap.getContent()).getBodyPart(1);
        assertThat(file.getFileName()).isEqualTo("alert-" + red.alertId() + ".cap.xml");
        assertThat(file.getContentType()).startsWith("application/common-alerting-protocol+xml; charset=UTF-8");
        assertThat(new String(file.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("<alert>ắ</alert>");

        Agency tip = new Agency("VN-TIP", "VN", "tip", Collections.emptySet(), Alert.Severity.Unknown, Tlp.AMBER_STRICT,
                false, Agency.Delivery.smtp("vn-tip@agencies.blo-hub.local", Agency.Rendering.JSON));
        MimeMessage json = d.mail(tip, red.alertId(), alert("TLP:AMBER"), "{\"a\":\"ắ\"}", "application/json");
        assertThat(json.getContent()).isEqualTo("{\"a\":\"ắ\"}");
        assertThat(json.getContentType()).isEqualToIgnoringCase("text/plain; charset=UTF-8");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeTo(out);
        String head = out.toString(StandardCharsets.ISO_8859_1);
        head = head.substring(0, head.indexOf("\r\n\r\n"));
        List<String> names = head.lines().filter(l -> !l.startsWith(" ") && !l.startsWith("\t"))
                .map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertThat(names).containsExactlyInAnyOrder("Date", "From", "To", "Message-ID", "Subject", "MIME-Version",
                "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted", "X-BLO-Alert-Id", "X-BLO-TLP");
    }
}
