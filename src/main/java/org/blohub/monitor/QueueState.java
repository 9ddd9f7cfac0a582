package org.blohub.monitor;

/** An agency's queue (agency.&lt;ID&gt; or hub.outbox.&lt;ID&gt;): messages waiting, and in its dead-letter queue. */
public record QueueState(String agency, String queue, long depth, long deadLetters) {
}
