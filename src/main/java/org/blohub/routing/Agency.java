package org.blohub.routing;

import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Tlp;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A national agency that receives routed alerts (config/agencies.yaml, DESIGN §6).
 *
 * @param id          {@code CC-NAME}, e.g. {@code VN-DRUG}; also its JMS queue suffix and credentials id
 * @param country     ISO 3166-1 alpha-2, the id's prefix
 * @param name        display name
 * @param categories  the alert categories it takes
 * @param minSeverity the least severe alert it takes ({@link Severity#Unknown} counts as the least severe)
 * @param maxTlp      the most restricted TLP label it is cleared to receive
 * @param focalPoint  whether it is its country's national focal point (the fallback recipient)
 * @param delivery    how alerts reach it
 */
public record Agency(String id, String country, String name, Set<Category> categories, Severity minSeverity,
                     Tlp maxTlp, boolean focalPoint, Delivery delivery) {

    /** The role a rule can name instead of ids: the focal point of a country, whatever its id. */
    public static final String FOCAL = "FOCAL";

    public Agency {
        categories = categories == null || categories.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(Category.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(categories));
    }

    /** The part of the id after the country: {@code DRUG} for {@code VN-DRUG}; rules name agencies by it. */
    public String role() {
        return id.substring(id.indexOf('-') + 1);
    }

    public boolean takes(Category category) {
        return categories.contains(category);
    }

    public boolean takes(Severity severity) {
        return severity.ordinal() >= minSeverity.ordinal();
    }

    public boolean clearedFor(Tlp tlp) {
        return tlp.clearedFor(maxTlp);
    }

    /**
     * How alerts reach an agency. Only the settings of its channel are set.
     *
     * @param queue     jms: the queue (default {@code agency.<ID>}, DESIGN §8)
     * @param address   smtp: the mailbox
     * @param directory sftp: the directory the rendered files are written to, relative to the SFTP root
     * @param url       https: the webhook
     * @param secretRef https: the name of the secret holding its credentials (never the secret itself)
     */
    public record Delivery(Channel channel, Rendering rendering, String queue, String address, String directory,
                           String url, String secretRef) {

        public static Delivery jms(String queue, Rendering rendering) {
            return new Delivery(Channel.JMS, rendering, queue, null, null, null, null);
        }

        public static Delivery smtp(String address, Rendering rendering) {
            return new Delivery(Channel.SMTP, rendering, null, address, null, null, null);
        }

        public static Delivery sftp(String directory, Rendering rendering) {
            return new Delivery(Channel.SFTP, rendering, null, null, directory, null, null);
        }

        public static Delivery https(String url, String secretRef, Rendering rendering) {
            return new Delivery(Channel.HTTPS, rendering, null, null, null, url, secretRef);
        }
    }

    /** Delivery channels; {@link #configName()} is how agencies.yaml writes them. */
    public enum Channel {
        JMS, SMTP, SFTP, HTTPS;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Renderings (DESIGN §4); {@link #configName()} is the {@code AlertRenderer} name. */
    public enum Rendering {
        JSON, XML, CAP;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
