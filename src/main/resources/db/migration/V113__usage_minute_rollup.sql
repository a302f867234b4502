-- Per-minute rows of the high-rate meters (ids 'minute:<process>:<n>') are summed into one row per hour
-- (ids 'hour:...') once they are older than tenantml.usage.minute-retention (io.tenantml.usage.internal.UsageRollup).
-- The rollup finds what is due through this index, which holds only the minute rows: the hour rows and the exact
-- events, which stay for good, are never scanned again.
create index usage_event_minute_rows on usage_event (occurred_at) where idempotency_id like 'minute:%';
