-- io.tenantml.rules.internal.FiringRetention deletes rule firings older than the monitoring history retention every
-- hour, found by this index (the model's index starts with the tenant).
create index monitoring_rule_firing_at on monitoring_rule_firing (at);
