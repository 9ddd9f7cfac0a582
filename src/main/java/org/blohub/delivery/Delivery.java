package org.blohub.delivery;

/**
 * One alert rendered for one agency, ready for its durable delivery queue.
 *
 * @param agencyId    the agency
 * @param alertId     the alert
 * @param queue       {@code agency.<ID>} (the agency reads it over JMS) or {@code hub.outbox.<ID>} (the hub
 *                    delivers it by mail, SFTP or HTTPS)
 * @param body        the rendering the agency asked for
 * @param mimeType    of the rendering
 * @param duplicateId the broker's duplicate-detection id: the same alert never reaches an agency twice
 */
public record Delivery(String agencyId, String alertId, String queue, String body, String mimeType, String duplicateId) {
}
