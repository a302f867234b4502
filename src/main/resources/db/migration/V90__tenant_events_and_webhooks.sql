-- Issue 12, webhooks. tenant_event is the outbox: a feature inserts the event in the transaction of the change
-- that causes it (io.tenantml.events.TenantEvents), so the event exists exactly when the change committed.
-- The webhooks job fans each event out to the tenant's endpoints (one webhook_delivery per endpoint and
-- event, unique) and delivers it; every row carries tenant_id and goes with the tenant (ON DELETE CASCADE).

create table tenant_event (
    id          uuid         primary key,
    tenant_id   varchar(40)  not null references tenant(id) on delete cascade,
    type        varchar(60)  not null,
    payload     jsonb        not null,
    created_at  timestamptz  not null,
    -- set by the fan-out in the transaction that creates the event's deliveries
    fanned_out  boolean      not null default false
);
create index tenant_event_unfanned on tenant_event (created_at) where not fanned_out;
create index tenant_event_tenant on tenant_event (tenant_id, created_at);

create table webhook_endpoint (
    id                    uuid          primary key,
    tenant_id             varchar(40)   not null references tenant(id) on delete cascade,
    url                   varchar(2048) not null,
    -- event types (wire names) this endpoint receives
    events                jsonb         not null,
    -- Standard Webhooks symmetric secret, "whsec_" + base64 of 24..64 random bytes; needed to sign
    secret                varchar(200)  not null,
    enabled               boolean       not null default true,
    disabled_reason       varchar(300),
    consecutive_failures  integer       not null default 0,
    created_at            timestamptz   not null,
    created_by            varchar(200)  not null
);
create index webhook_endpoint_tenant on webhook_endpoint (tenant_id, id);

create table webhook_delivery (
    id                uuid          primary key,
    tenant_id         varchar(40)   not null references tenant(id) on delete cascade,
    endpoint_id       uuid          not null references webhook_endpoint(id) on delete cascade,
    event_id          uuid          not null references tenant_event(id) on delete cascade,
    status            varchar(20)   not null check (status in ('pending', 'delivered', 'failed')),
    -- attempts claimed so far; a claim counts one up and names the node, so a late result of an attempt
    -- another node has since re-claimed changes nothing
    attempts          integer       not null default 0,
    -- when the next attempt is due; while an attempt is in flight, the end of its lease
    next_attempt_at   timestamptz,
    claimed_by        varchar(100),
    -- attempts stop after this (the event's time + retry-for; a redelivery moves it)
    retry_until       timestamptz   not null,
    created_at        timestamptz   not null,
    last_attempt_at   timestamptz,
    last_status_code  integer,
    last_latency_ms   integer,
    last_error        varchar(500),
    response_excerpt  varchar(500),
    unique (endpoint_id, event_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_page on webhook_delivery (endpoint_id, created_at, id);
create index webhook_delivery_tenant on webhook_delivery (tenant_id);
