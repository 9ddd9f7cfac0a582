package org.blohub.mail;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.Exchange;
import org.blohub.alert.Alert;
import org.blohub.alert.Tlp;
import org.blohub.dedupe.Ledger;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/**
 * An alert for an agency that takes mail (config/agencies.yaml {@code channel: smtp}), as the mail the hub sends it.
 *
 * <ul>
 *   <li><b>Body or attachment.</b> Renderings named in {@code blo.mail.attachment-renderings} (default {@code cap})
 *       come as an attachment {@code alert-<alertId>.cap.xml} ({@code application/common-alerting-protocol+xml};
 *       {@code .json}, {@code .xml} for the others) under a short text; the others as the text body itself (JSON, BLO
 *       XML). UTF-8 throughout.</li>
 *   <li><b>Subject.</b> {@code [TLP:label] BLO alert <alertId>}; the headline is added only for TLP:CLEAR and
 *       TLP:GREEN. A subject travels where the body does not (server logs, mailbox listings, phone notifications), so
 *       for TLP:AMBER, AMBER+STRICT and RED it names only the label and the id; the content is in the body for the
 *       cleared recipient alone.</li>
 *   <li><b>Headers.</b> Only those the hub sets: From (the hub's address), To (the agency's), Date, a Message-ID of its
 *       own that stays {@code <alertId.AGENCY@domain>} across retries (a repeat after a crash is recognisable),
 *       {@code Auto-Submitted: auto-generated}, {@code X-BLO-Alert-Id}, {@code X-BLO-TLP}. Every exchange header is
 *       removed before the SMTP producer (Camel 4.17: the mail producer applies {@code mail.smtp*} headers).</li>
 * </ul>
 */
public final class MailDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);
    private static final int MAX_SUBJECT_HEADLINE = 120;

    private final Session session;
    private final InternetAddress hub;
    private final String domain;
    private final AgencyRegistry agencies;
    private final Ledger ledger;
    private final Set<String> attachmentRenderings;

    public MailDelivery(Session session, String hubAddress, AgencyRegistry agencies, Ledger ledger,
                        Set<String> attachmentRenderings) {
        this.session = session;
        try {
            this.hub = new InternetAddress(hubAddress, "BLO Hub", "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        this.domain = hubAddress.substring(hubAddress.indexOf('@') + 1);
        this.agencies = agencies;
        this.ledger = ledger;
        this.attachmentRenderings = Set.copyOf(attachmentRenderings);
    }

    /** Turns the outbox message (the rendering, with bloAlertId and bloContentType) into the mail for {@code agencyId}. */
    public void prepare(Exchange exchange) throws Exception {
        org.apache.camel.Message in = exchange.getMessage();
        String agencyId = exchange.getProperty("bloAgency", String.class);
        String rendered = in.getMandatoryBody(String.class);
        String alertId = in.getHeader("bloAlertId", String.class);
        String contentType = in.getHeader("bloContentType", "text/plain", String.class);
        in.removeHeaders("*");
        Agency agency = agencies.find(agencyId)
                .orElseThrow(() -> new IllegalStateException("no agency " + agencyId + " in agencies.yaml"));
        if (alertId == null) {
            throw new IllegalStateException("an outbox message for " + agencyId + " without bloAlertId");
        }
        Optional<Alert> alert = ledger.find(alertId);
        if (alert.isEmpty()) {
            LOG.warn("Alert {} for {} is not in the ledger: its mail subject names no TLP label", alertId, agencyId);
        }
        in.setBody(mail(agency, alertId, alert.orElse(null), rendered, contentType));
    }

    MimeMessage mail(Agency agency, String alertId, Alert alert, String rendered, String contentType)
            throws MessagingException {
        Agency.Rendering rendering = agency.delivery().rendering();
        MimeMessage msg = new KeptIdMimeMessage(session);
        msg.setFrom(hub);
        msg.setRecipient(RecipientType.TO, new InternetAddress(agency.delivery().address()));
        msg.setSubject(subject(alertId, alert), "UTF-8");
        msg.setSentDate(new Date());
        msg.setHeader("Auto-Submitted", "auto-generated");
        msg.setHeader("X-BLO-Alert-Id", alertId);
        if (alert != null && alert.tlp() != null) {
            msg.setHeader("X-BLO-TLP", alert.tlp().label());
        }
        if (attachmentRenderings.contains(rendering.configName())) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(note(alertId, alert, rendering), "UTF-8");
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                    rendered.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType + "; charset=UTF-8")));
            file.setFileName(fileName(alertId, rendering));
            file.setDisposition(MimeBodyPart.ATTACHMENT);
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(text);
            mixed.addBodyPart(file);
            msg.setContent(mixed);
        } else {
            msg.setText(rendered, "UTF-8");
        }
        msg.saveChanges();
        msg.setHeader("Message-ID", "<" + alertId + "." + agency.id() + "@" + domain + ">");
        return msg;
    }

    /** {@code [TLP:AMBER] BLO alert <id>}; with {@code : <headline>} only for TLP:CLEAR and TLP:GREEN. */
    static String subject(String alertId, Alert alert) {
        if (alert == null || alert.tlp() == null) {
            return "BLO alert " + alertId;
        }
        String s = "[" + alert.tlp().label() + "] BLO alert " + alertId;
        boolean shareable = alert.tlp() == Tlp.CLEAR || alert.tlp() == Tlp.GREEN;
        String headline = alert.headline() == null ? "" : MimeText.clean(alert.headline());
        if (shareable && !headline.isEmpty()) {
            if (headline.codePointCount(0, headline.length()) > MAX_SUBJECT_HEADLINE) {
                headline = headline.substring(0, headline.offsetByCodePoints(0, MAX_SUBJECT_HEADLINE - 1)) + "…";
            }
            s += ": " + headline;
        }
        return s;
    }

    static String fileName(String alertId, Agency.Rendering rendering) {
        return "alert-" + alertId + switch (rendering) {
            case CAP -> ".cap.xml";
            case XML -> ".xml";
            case JSON -> ".json";
        };
    }

    private static String note(String alertId, Alert alert, Agency.Rendering rendering) {
        String what = switch (rendering) {
            case CAP -> "CAP 1.2";
            case XML -> "BLO XML";
            case JSON -> "JSON";
        };
        String tlp = alert == null || alert.tlp() == null ? "" : ", " + alert.tlp().label();
        String from = alert == null ? "" : " from " + alert.office();
        return "BLO Hub alert " + alertId + from + tlp + ".\n\n"
                + "The alert is attached as " + what + ": " + fileName(alertId, rendering) + ".\n"
                + (alert != null && alert.tlp() != null
                ? "Handle it as " + alert.tlp().label() + " requires (FIRST TLP 2.0).\n" : "");
    }
}
