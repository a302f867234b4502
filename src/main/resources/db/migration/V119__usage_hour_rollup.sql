-- Hour rows older than tenantml.usage.hour-retention are summed into one row per UTC day (ids 'day:...') by
-- io.tenantml.usage.internal.UsageRollup, which finds them through this index, as it finds minute rows (V113).
create index usage_event_hour_rows on usage_event (occurred_at) where idempotency_id like 'hour:%';
