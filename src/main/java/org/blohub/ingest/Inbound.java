package org.blohub.ingest;

import org.blohub.alert.Alert.Channel;

import java.nio.charset.Charset;
import java.util.List;

/**
 * One inbound message as it reached the hub, carried beside the alerts taken from it (exchange
 * property {@value #PROPERTY}): who sent it, how, its transport id and its original bytes (kept
 * for quarantine).
 *
 * @param office     the sending office, as the channel authenticated it
 * @param channel    the channel it came by
 * @param originalId JMS message id, Message-ID, file name or API request id; receipts correlate to it
 * @param raw        the bytes as received
 * @param charset    the charset the transport declared for them (a JMS TextMessage is UTF-8 here), or null
 * @param receipts   receipts to answer synchronously (API), else null: receipts go to the office's queue
 */
public record Inbound(String office, Channel channel, String originalId, byte[] raw, Charset charset,
                      List<Object> receipts) {

    public static final String PROPERTY = "bloInbound";
}
