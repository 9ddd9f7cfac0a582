package org.blohub.routing;

import org.blohub.office.ConfigException;
import org.blohub.routing.Agency.Channel;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which delivery channels are on ({@code blo.sftp.enabled}, {@code blo.mail.enabled}; JMS and HTTPS always are), and
 * the check that every agency of agencies.yaml can be reached by one that is: an agency whose channel is off would
 * have its alerts routed to it and left in its outbox, so the hub refuses to start and says which setting to change.
 * Offices are not checked: an office may send by any channel, and one the hub does not read is simply not read.
 */
public record ChannelSwitches(boolean sftp, boolean mail) {

    public static final String SFTP_ENABLED = "blo.sftp.enabled";
    public static final String MAIL_ENABLED = "blo.mail.enabled";

    /** As SftpConfiguration and MailConfiguration read them: on when missing or {@code true}, else off. */
    public static ChannelSwitches from(Environment env) {
        return new ChannelSwitches(on(env, SFTP_ENABLED), on(env, MAIL_ENABLED));
    }

    private static boolean on(Environment env, String setting) {
        String value = env.getProperty(setting);
        return value == null || "true".equalsIgnoreCase(value.trim());
    }

    /** The setting that turns this channel off, or null when it cannot be. */
    static String setting(Channel channel) {
        return switch (channel) {
            case SFTP -> SFTP_ENABLED;
            case SMTP -> MAIL_ENABLED;
            default -> null;
        };
    }

    public boolean on(Channel channel) {
        return switch (channel) {
            case SFTP -> sftp;
            case SMTP -> mail;
            default -> true;
        };
    }

    /**
     * Throws a {@link ConfigException} naming, per channel that is off, every agency that needs it and the setting to
     * change.
     */
    public void check(AgencyRegistry agencies) {
        Map<Channel, List<String>> off = new EnumMap<>(Channel.class);
        for (Agency a : agencies.all()) {
            if (!on(a.delivery().channel())) {
                off.computeIfAbsent(a.delivery().channel(), c -> new ArrayList<>()).add(a.id());
            }
        }
        if (off.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        off.forEach((c, ids) -> problems.add((ids.size() == 1 ? "agency " : "agencies ") + String.join(", ", ids)
                + (ids.size() == 1 ? " has" : " have") + " delivery.channel: " + c.configName() + ", but that channel is off ("
                + setting(c) + "=false): set " + setting(c) + "=true, or give "
                + (ids.size() == 1 ? "it" : "them") + " another delivery channel"));
        throw new ConfigException(AgencyRegistry.FILE + ": " + String.join("; ", problems));
    }
}
