-- Rules keep their state across edits: a rule's state, firings and watches are kept by its stable key (its name,
-- or "sha256:" and 16 hex digits of its content when it has none: rules.RuleKeys) instead of its position in the
-- list, which is presentation only. Rows from before carry "#<position>" (not a name, not a content key); the next
-- PUT matches their rules by name or content and gives them their key (state, firings and watches alike).
alter table monitoring_rule_state add column rule_key varchar(80);
update monitoring_rule_state set rule_key = '#' || position;
alter table monitoring_rule_state alter column rule_key set not null;
-- position stays (where the rule is in the list now) but no longer identifies a state: a PUT moves states
alter table monitoring_rule_state drop constraint monitoring_rule_state_pkey;
alter table monitoring_rule_state add primary key (tenant_id, model, rule_key);

-- firings name the rule by key; position is where the rule was when it fired
alter table monitoring_rule_firing add column rule_key varchar(80);
update monitoring_rule_firing set rule_key = '#' || position;
alter table monitoring_rule_firing alter column rule_key set not null;

-- a watch names the rule whose retrain it watches by key (a PUT that removes the rule ends the watch)
alter table rollback_watch add column rule_key varchar(80);
update rollback_watch set rule_key = '#' || position;
alter table rollback_watch alter column rule_key set not null;
