package org.blohub.audit;

import java.util.List;

/**
 * Told of every trace row as it is recorded (metrics listen here: every alert event passes through the trace). Called
 * on the recording thread; must be quick and must not throw.
 */
public interface TraceListener {

    TraceListener NONE = rows -> { };

    void recorded(List<TraceEvent> rows);
}
