-- The model registry: immutable versions, aliases and the audit of every alias move.

create table model_version (
    id                uuid          primary key,
    tenant_id         varchar(40)   not null references tenant(id) on delete cascade,
    model             varchar(100)  not null,
    version           integer       not null,
    -- a redone training (node died, job recovered) finds its version here instead of adding a second one
    training_id       uuid          not null unique,
    status            varchar(20)   not null check (status in ('accepted', 'rejected')),
    reason            text          not null,
    created_at        timestamptz   not null,
    dataset           varchar(100)  not null,
    dataset_version   integer       not null,
    dataset_sha256    varchar(64)   not null,
    objective         varchar(20)   not null,
    params            text          not null,
    seed              bigint        not null,
    metrics           text          not null,
    baseline          text          not null,
    gate              text          not null,
    feature_importance text         not null,
    transform         text          not null,
    target            text          not null,
    artifact_key      varchar(400)  not null,
    artifact_sha256   varchar(64)   not null,
    artifact_bytes    bigint        not null,
    artifact_format   varchar(20)   not null,
    provenance        text          not null,
    unique (tenant_id, model, version)
);

create table model_alias (
    id          uuid          primary key,
    tenant_id   varchar(40)   not null references tenant(id) on delete cascade,
    model       varchar(100)  not null,
    alias       varchar(60)   not null,
    version     integer       not null,
    updated_at  timestamptz   not null,
    updated_by  varchar(200)  not null,
    unique (tenant_id, model, alias)
);

create table model_alias_event (
    id            uuid          primary key,
    tenant_id     varchar(40)   not null references tenant(id) on delete cascade,
    model         varchar(100)  not null,
    alias         varchar(60)   not null,
    from_version  integer,
    to_version    integer,
    actor         varchar(200)  not null,
    at            timestamptz   not null,
    reason        varchar(400)  not null
);
create index model_alias_event_by_model on model_alias_event(tenant_id, model, at);
