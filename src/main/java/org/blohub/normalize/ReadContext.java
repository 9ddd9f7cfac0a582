package org.blohub.normalize;

import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;

import java.nio.charset.Charset;
import java.util.Optional;

/**
 * What a reader knows besides the bytes.
 *
 * @param sourceName      name for messages and original ids (file name, Message-ID, JMS id)
 * @param office          the sending office when the channel says who it is (authenticated user,
 *                        {@code --office}); null when only the payload can tell
 * @param offices         the office registry, to resolve an office named in the payload
 * @param declaredCharset charset the transport declared (MIME part, {@code --charset}); null if none
 * @param limits          bounds on size and depth
 */
public record ReadContext(String sourceName, Office office, OfficeRegistry offices, Charset declaredCharset,
                          InputLimits limits) {

    public ReadContext {
        limits = limits == null ? InputLimits.DEFAULT : limits;
    }

    /** The office the channel names, else the one the payload names (if the registry knows it). */
    public Optional<Office> officeOr(String namedInPayload) {
        if (office != null) {
            return Optional.of(office);
        }
        return namedInPayload == null ? Optional.empty() : offices.find(namedInPayload.trim());
    }

    /** The charset to fall back on when the input declares none: the office's default, else UTF-8. */
    public Charset fallbackCharset(Office payloadOffice) {
        Office o = office != null ? office : payloadOffice;
        return o != null ? o.charset() : java.nio.charset.StandardCharsets.UTF_8;
    }
}
