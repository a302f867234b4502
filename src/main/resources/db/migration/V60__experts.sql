-- Recommended experts (issue 13): recommenders, their index builds, the per-tenant embedding cache and the
-- optional per-expert daily cap. Every table references tenant(id) on delete cascade.

create table recommender (
    id             uuid          primary key,
    tenant_id      varchar(40)   not null references tenant(id) on delete cascade,
    name           varchar(100)  not null,
    spec           jsonb         not null,
    current_build  uuid,
    created_at     timestamptz   not null,
    updated_at     timestamptz   not null,
    updated_by     varchar(200)  not null,
    unique (tenant_id, name)
);

create table recommender_build (
    id               uuid          primary key,
    tenant_id        varchar(40)   not null references tenant(id) on delete cascade,
    recommender      varchar(100)  not null,
    dataset          varchar(100)  not null,
    dataset_version  integer,
    status           varchar(20)   not null
        check (status in ('queued', 'running', 'succeeded', 'rejected', 'failed', 'skipped')),
    trigger          varchar(20)   not null check (trigger in ('api', 'schedule')),
    progress         double precision not null default 0,
    phase            varchar(40),
    attempts         integer       not null default 0,
    rows_indexed     integer,
    rows_embedded    integer,
    index_sha256     varchar(64),
    index_bytes      bigint,
    reranker_sha256  varchar(64),
    evaluation       jsonb,
    provenance       jsonb,
    gate_reason      text,
    error            text,
    files_deleted    boolean       not null default false,
    created_at       timestamptz   not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    requested_by     varchar(200)  not null
);
-- At most one queued or running build per (tenant, recommender), cluster-wide: a second insert fails (409).
create unique index recommender_build_one_active on recommender_build(tenant_id, recommender)
    where status in ('queued', 'running');
create index recommender_build_by_recommender on recommender_build(tenant_id, recommender, created_at, id);

-- Embeddings by content hash, per tenant and model: a rebuild embeds only new or changed texts.
create table expert_embedding (
    tenant_id       varchar(40)   not null references tenant(id) on delete cascade,
    model           varchar(100)  not null,
    content_sha256  bytea         not null,
    vector          bytea         not null,
    primary key (tenant_id, model, content_sha256)
);

-- Recommendations given per expert and UTC day, for the optional daily cap.
create table expert_daily_count (
    tenant_id    varchar(40)   not null references tenant(id) on delete cascade,
    recommender  varchar(100)  not null,
    expert       varchar(400)  not null,
    day          date          not null,
    given        integer       not null,
    primary key (tenant_id, recommender, expert, day)
);
