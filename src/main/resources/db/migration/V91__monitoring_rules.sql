-- Monitoring rules (issue 12, "Rules"): per model, which signals of its judged windows lead to which actions.
-- The rules themselves, as the tenant put them (validated by rules.MonitoringRules).
create table monitoring_rule_set (
    tenant_id  varchar(40) not null references tenant(id) on delete cascade,
    model      varchar(100) not null,
    rules      jsonb not null,
    updated_at timestamptz not null,
    primary key (tenant_id, model)
);

-- Each rule's state machine (position = the rule's index in the set; a PUT replaces the set and its states).
create table monitoring_rule_state (
    tenant_id        varchar(40) not null references tenant(id) on delete cascade,
    model            varchar(100) not null,
    position         int not null,
    firing           boolean not null default false,
    -- consecutive windows counted towards the next change (signal present while clear, absent while firing)
    streak           int not null default 0,
    firing_since     timestamptz,
    last_action_at   timestamptz,
    -- the last window run evaluated: a run is evaluated once per rule
    last_run         uuid,
    -- a retrain decided in the window's transaction, started after it commits
    retrain_pending  boolean not null default false,
    last_training    uuid,
    last_note        text,
    primary key (tenant_id, model, position),
    foreign key (tenant_id, model) references monitoring_rule_set(tenant_id, model) on delete cascade
);

-- What the rules did: one row per episode start (fired) and end (recovered), and per action taken.
create table monitoring_rule_firing (
    id          uuid primary key,
    tenant_id   varchar(40) not null references tenant(id) on delete cascade,
    model       varchar(100) not null,
    position    int not null,
    run_id      uuid not null,
    kind        varchar(20) not null check (kind in ('fired', 'recovered', 'alert', 'retrain', 'suppressed')),
    at          timestamptz not null,
    event_id    uuid,
    training_id uuid,
    note        text
);
create index monitoring_rule_firing_model on monitoring_rule_firing (tenant_id, model, at desc);

-- a training started by a rule's retrain action says so
alter table training drop constraint training_trigger_check;
alter table training add constraint training_trigger_check check (trigger in ('api', 'schedule', 'manifest', 'rule'));
