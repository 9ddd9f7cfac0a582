package org.blohub.monitor;

import java.time.Instant;

/**
 * One channel route as an operator sees it.
 *
 * @param channel    JMS, EMAIL, SFTP, HTTPS or API
 * @param direction  IN (from offices) or OUT (to agencies, or receipts to offices)
 * @param office     the office of a route that serves one office, else null
 * @param agency     the agency of a route that serves one agency, else null
 * @param status     UP, DOWN (its server unreachable, or its last attempt failed and none succeeded since),
 *                   STOPPED or STARTING
 * @param lastError  short and content-free, or null
 */
public record ChannelState(String routeId, String channel, String direction, String office, String agency,
                           String status, long exchangesTotal, long exchangesFailed, double ratePerMinute,
                           String lastError, Instant lastErrorAt) {
}
