-- Databases made before the trace moved out of db/migration (its V4) have an index on event_at alone, for retention.
-- Retention (org.blohub.audit.TraceRetention) now deletes event by event along alert_trace_event (event, event_at),
-- so that index is not read; every trace row paid for it with one more index entry to write.
DROP INDEX IF EXISTS alert_trace_event_at;
