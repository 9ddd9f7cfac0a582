package org.blohub.normalize;

import org.blohub.alert.Alert.Channel;

/**
 * How an input reached the hub, for the hub-set fields.
 *
 * @param channel        the channel it came by
 * @param originalId     transport id (JMS id, Message-ID, file name) when a draft has none of its own
 * @param rawSha256      hash of the original bytes, or null
 * @param keepHubFields  true to keep alertId/receivedAt/provenance a payload already carries (an offline
 *                       {@code convert} of a hub rendering); the hub itself always assigns its own
 */
public record Origin(Channel channel, String originalId, String rawSha256, boolean keepHubFields) {
}
