-- Retention (org.blohub.audit.TraceRetention) deletes event by event along alert_trace_event (event, event_at), so
-- the index on event_at alone is no longer read; every trace row paid for it with one more index entry to write.
DROP INDEX IF EXISTS alert_trace_event_at;
