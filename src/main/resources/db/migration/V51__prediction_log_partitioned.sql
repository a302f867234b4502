-- Monitoring owns the prediction log now, in a compact, time-partitioned layout (docs/architecture.md,
-- "Prediction log"). About 120 bytes a record for a 6-feature model instead of about 500: the tenant,
-- model, version, time (epoch milliseconds) and prediction id are fixed columns, and the features, their
-- raw values' kinds and the model's output are one packed bytea (PredictionRecordCodec); no btree: BRIN
-- indexes on time and on the (time-ordered, version 7) prediction id cost a few bytes per thousand rows.
--
-- Two levels: LIST by retention class (days), then RANGE by day. A tenant's retention is rounded up to a
-- class, so retention is enforced by dropping whole daily partitions of a class, never by deleting rows.
-- The class parents and the daily partitions are created by the application (LogPartitions), which knows
-- the configured classes and creates days ahead and on demand.
--
-- The JSON log of V30 is no longer written or read; it is kept, renamed, so that nothing is lost by the
-- upgrade, and can be dropped once its rows are older than the retention that matters (a later migration).
alter table prediction_log rename to prediction_log_json_v30;
alter index prediction_log_model_time rename to prediction_log_json_v30_model_time;
alter table prediction_log_json_v30 rename constraint prediction_log_pkey to prediction_log_json_v30_pkey;
alter table prediction_log_json_v30 rename constraint prediction_log_tenant_id_fkey to prediction_log_json_v30_tenant_id_fkey;

create table prediction_log (
    -- Column order avoids alignment padding: 8-byte, 16-byte, 4-, 2-byte columns, then the varlenas.
    predicted_at    bigint        not null,  -- epoch milliseconds (UTC)
    id              uuid          not null,  -- the prediction id the caller got; unique by construction
    version         integer       not null,
    retention_days  smallint      not null,  -- the tenant's retention class when the record was written
    tenant_id       varchar(40)   not null references tenant(id) on delete cascade,
    model           varchar(100)  not null,
    record          bytea         not null   -- PredictionRecordCodec: sample, kinds, features, outputs
) partition by list (retention_days);

create index prediction_log_time on prediction_log using brin (predicted_at);
-- Feedback looks predictions up by id: ids are UUIDv7 (time first) written in time order, so a BRIN range
-- over them is as selective as one over time; pages_per_range 16 keeps a lookup to a few hundred rows.
create index prediction_log_id on prediction_log using brin (id) with (pages_per_range = 16);

-- Per-tenant retention and per-model sampling of the log (both optional; the configured defaults apply).
create table prediction_log_retention (
    tenant_id       varchar(40)   primary key references tenant(id) on delete cascade,
    retention_days  integer       not null check (retention_days > 0),
    updated_at      timestamptz   not null
);

create table prediction_log_sampling (
    tenant_id       varchar(40)   not null references tenant(id) on delete cascade,
    model           varchar(100)  not null,
    sample_rate     double precision not null check (sample_rate > 0 and sample_rate <= 1),
    updated_at      timestamptz   not null,
    primary key (tenant_id, model)
);
