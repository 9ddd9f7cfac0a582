package org.blohub.alert;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The common alert (DESIGN §4, schema version "1.0"). Field names and order are the contract;
 * {@code schema/alert-1.0.schema.json} states the same shape for everything that reads a tree.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Alert(
        String schemaVersion,
        String alertId,
        String sourceRef,
        String office,
        OffsetDateTime sentAt,
        OffsetDateTime receivedAt,
        Status status,
        MsgType msgType,
        List<Reference> references,
        List<Category> category,
        Urgency urgency,
        Severity severity,
        Certainty certainty,
        String language,
        String headline,
        String description,
        List<Translation> translations,
        List<Area> areas,
        List<String> countriesConcerned,
        List<Subject> subjects,
        List<Attachment> attachments,
        Tlp tlp,
        List<HandlingCode> handlingCodes,
        Grading grading,
        List<String> addressees,
        Provenance provenance) {

    public static final String SCHEMA_VERSION = "1.0";

    public Alert {
        references = copy(references);
        category = copy(category);
        translations = copy(translations);
        areas = copy(areas);
        countriesConcerned = copy(countriesConcerned);
        subjects = copy(subjects);
        attachments = copy(attachments);
        handlingCodes = copy(handlingCodes);
        addressees = copy(addressees);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Reference(String office, String sourceRef) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Translation(String language, String headline, String description) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Area(String areaDesc, String country, String unLocode, Double lat, Double lon,
                       String polygon, String circle) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Subject(SubjectType type, String name, String nationality, String identifier,
                          java.math.BigDecimal quantity, String unit) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Attachment(String filename, String mimeType, Long size, String sha256) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Grading(String source, Integer information) {
    }

    /** Where the alert came from. {@code capSender}/{@code capIdentifier} keep a CAP message's own ids. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Provenance(Channel channel, OriginalFormat originalFormat, String originalId,
                             String declaredCharset, String rawSha256,
                             String capSender, String capIdentifier) {
    }

    public enum Status { Actual, Exercise, System, Test, Draft }

    public enum MsgType { Alert, Update, Cancel, Ack, Error }

    public enum Urgency { Immediate, Expected, Future, Past, Unknown }

    public enum Severity {
        // declared from least to most severe, so that ordinal() compares severities
        Unknown, Minor, Moderate, Severe, Extreme
    }

    public enum Certainty { Observed, Likely, Possible, Unlikely, Unknown }

    public enum SubjectType { PERSON, VEHICLE, VESSEL, DOCUMENT, COMMODITY, ORGANISATION, DIGITAL_ID }

    public enum HandlingCode { H0, H1, H2, H3 }

    /** FILE is an offline read by {@code convert}; the hub's own channels are JMS, EMAIL, SFTP and API. */
    public enum Channel { JMS, EMAIL, SFTP, API, FILE }

    public enum OriginalFormat { JSON, BLO_XML, CAP, CSV, EMAIL_FORM }

    public enum Category {
        DRUG_TRAFFICKING, PRECURSOR_CHEMICALS, TRAFFICKING_IN_PERSONS, MIGRANT_SMUGGLING,
        WILDLIFE_TRAFFICKING, TIMBER_TRAFFICKING, ENVIRONMENTAL_CRIME, FIREARMS_TRAFFICKING,
        CYBERCRIME, MONEY_LAUNDERING, TERRORISM_FINANCING, VIOLENT_EXTREMISM, CORRUPTION,
        COUNTERFEIT_GOODS, OTHER;

        /** CAP's info.category for this one: environmental crime is "Env", the rest "Security". */
        public boolean environmental() {
            return this == WILDLIFE_TRAFFICKING || this == TIMBER_TRAFFICKING || this == ENVIRONMENTAL_CRIME;
        }
    }
}
