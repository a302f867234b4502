-- The watch of an automatic promotion (issue 12, "Rules"): a version that a rule's retrain promoted is watched
-- for the rule's watchWindows window runs; if it performs worse than the version before it by the rule's
-- rollbackMargin, production moves back. One row per promotion, kept after it ends (what happened, and why).
-- Settings are copied from the rule when the watch starts, so replacing the rules does not change a watch.
create table rollback_watch (
    id               uuid primary key,
    tenant_id        varchar(40) not null references tenant(id) on delete cascade,
    model            varchar(100) not null,
    alias            varchar(60) not null,
    -- the rule whose retrain promoted the version, and that training
    position         int not null,
    training_id      uuid not null,
    version          int not null,
    previous_version int not null,
    metric           varchar(40) not null,
    rollback_margin  double precision not null,
    min_samples      int not null,
    windows          int not null,
    -- window runs that could judge the version so far
    counted          int not null default 0,
    started_at       timestamptz not null,
    status           varchar(20) not null check (status in ('watching', 'passed', 'rolled-back', 'ended')),
    -- the previous version's figure the watched one is compared with, and where it came from
    baseline         double precision,
    baseline_source  varchar(20) check (baseline_source in ('realised', 'validation')),
    last_value       double precision,
    last_source      varchar(20) check (last_source in ('realised', 'estimated')),
    last_samples     bigint,
    -- the last window run evaluated: a run is evaluated once
    last_run         uuid,
    ended_at         timestamptz,
    event_id         uuid,
    note             text
);
-- at most one watch per model at a time: a newer automatic promotion ends the older watch
create unique index rollback_watch_active on rollback_watch (tenant_id, model) where status = 'watching';
create index rollback_watch_model on rollback_watch (tenant_id, model, started_at desc);
