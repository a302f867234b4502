-- Usage metering (io.tenantml.usage). One row per billable fact, identified by (tenant, idempotency id):
--  * exact events (an ingested dataset version, a training attempt, a daily storage sample, a finished batch)
--    are inserted with "on conflict do nothing", so a replay or a redone job never counts twice;
--  * high-rate facts (records scored online) are aggregated in memory per (tenant, meter, dimensions,
--    minute) and flushed as one row per in-memory bucket: the row holds the bucket's running total and is
--    upserted with greatest(old, new), so a repeated or reordered flush of the same bucket changes nothing.
-- model/version are columns (reports group by them); other dimensions (dataset, recommender) go to jsonb.
create table usage_event (
    tenant_id       varchar(40)      not null references tenant(id) on delete cascade,
    idempotency_id  varchar(300)     not null,
    meter           varchar(64)      not null,
    model           varchar(100),
    version         integer,
    dimensions      jsonb            not null default '{}'::jsonb,
    quantity        double precision not null check (quantity >= 0),
    occurred_at     timestamptz      not null,
    recorded_at     timestamptz      not null default now(),
    primary key (tenant_id, idempotency_id)
);

create index usage_event_tenant_time on usage_event (tenant_id, occurred_at);
create index usage_event_time on usage_event (occurred_at);
