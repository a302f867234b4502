-- Monitoring windows (issue 11): one row per tenant, model, version and hour of logged predictions, holding
-- the hour's mergeable profile (statistics TableSketch bytes: per encoded feature, per input's value kinds,
-- per model output, the predicted classes). Days and weeks are merged from these rows, never re-read from
-- the log. A row is rewritten whole by the run that profiles its hour again (an hour closed early by a
-- manual run, or a redone attempt), so nothing is ever counted twice.
create table monitoring_window (
    tenant_id     varchar(40)   not null references tenant(id) on delete cascade,
    model         varchar(100)  not null,
    version       integer       not null,
    window_start  timestamptz   not null,
    -- the end of what was profiled: window_start + 1 hour for a closed hour, earlier for one closed early
    window_end    timestamptz   not null,
    records       bigint        not null,
    scored        bigint        not null,
    -- predictions the records stand for: the sum of each record's "one in N" (records / represented is the
    -- window's sample rate)
    represented   bigint        not null,
    profile       bytea         not null,
    run_id        uuid          not null,
    profiled_at   timestamptz   not null,
    primary key (tenant_id, model, version, window_start),
    check (window_end > window_start and window_end <= window_start + interval '1 hour')
);

-- A window run's own row (same id as its run in the ledger): what it was asked to do and what it did.
create table monitoring_run (
    id                    uuid          primary key,
    tenant_id             varchar(40)   not null references tenant(id) on delete cascade,
    model                 varchar(100)  not null,
    trigger               varchar(20)   not null check (trigger in ('manual', 'schedule')),
    -- profile the log up to here: the hour boundary for a scheduled run, the request time for a manual one
    until_at              timestamptz   not null,
    created_at            timestamptz   not null,
    from_at               timestamptz,
    windows               integer,
    records               bigint,
    latest_version        integer,
    latest_window_start   timestamptz,
    latest_status         varchar(20)
);
create index monitoring_run_model on monitoring_run (tenant_id, model, created_at);
