package org.blohub.operations;

import java.util.Map;

/**
 * A message as an operator sees it.
 *
 * @param headers    the JMS headers
 * @param properties every property, the broker's {@code _AMQ_*} ones included, sorted by name (binary as base64)
 * @param bodyKind   Text, Bytes, or the kind that is not read (Object: never deserialized)
 * @param bodyBytes  the body's length in bytes
 * @param bodyText   the body as text: a TextMessage's text, or the bytes read as UTF-8 (replacement characters where
 *                   they are not UTF-8); null when there is no readable body
 * @param body       the original bytes (base64 in JSON); a TextMessage's text as UTF-8
 */
public record MessageView(Map<String, Object> headers, Map<String, Object> properties, String bodyKind, long bodyBytes,
                          String bodyText, byte[] body) {
}
