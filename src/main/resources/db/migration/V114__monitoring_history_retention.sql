-- What io.tenantml.monitoring.internal.HistoryRetention deletes every hour is found through these, not by reading
-- the whole of monitoring_window and run: windows by their start, ended window runs by kind and creation.
create index monitoring_window_start on monitoring_window (window_start);
create index run_ended_by_kind on run (kind, created_at) where state in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED');
