-- Model specs and training runs. Every table references tenant(id) on delete cascade.

create table model_spec (
    id          uuid          primary key,
    tenant_id   varchar(40)   not null references tenant(id) on delete cascade,
    name        varchar(100)  not null,
    spec        text          not null,
    created_at  timestamptz   not null,
    updated_at  timestamptz   not null,
    updated_by  varchar(200)  not null,
    unique (tenant_id, name)
);

create table training (
    id               uuid          primary key,
    tenant_id        varchar(40)   not null references tenant(id) on delete cascade,
    model            varchar(100)  not null,
    dataset          varchar(100)  not null,
    dataset_version  integer,
    status           varchar(20)   not null
        check (status in ('queued', 'running', 'succeeded', 'rejected', 'failed', 'cancelled', 'skipped')),
    trigger          varchar(20)   not null check (trigger in ('api', 'schedule', 'manifest')),
    progress         double precision not null default 0,
    rounds           integer,
    attempts         integer       not null default 0,
    cancel_requested boolean       not null default false,
    created_at       timestamptz   not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    metrics          text,
    baseline         text,
    gate             text,
    model_version    integer,
    error            text,
    requested_by     varchar(200)  not null
);
-- At most one queued or running training per (tenant, model), cluster-wide: a second insert fails (409).
create unique index training_one_active on training(tenant_id, model) where status in ('queued', 'running');
create index training_by_model on training(tenant_id, model, created_at);
