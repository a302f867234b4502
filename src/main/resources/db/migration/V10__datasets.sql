-- Datasets and their immutable versions. Rows live in the blob store (content-addressed by SHA-256);
-- here are the metadata, the schema, the profile and the validation report, all as JSON text.

create table dataset (
    id            uuid          primary key,
    tenant_id     varchar(40)   not null references tenant(id) on delete cascade,
    name          varchar(100)  not null,
    description   varchar(2000),
    -- Declared by PUT, or inferred from the first version and frozen; null until one of both happened.
    schema_json   text,
    schema_source varchar(20)   check (schema_source in ('declared', 'inferred')),
    policy_json   text          not null,
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null,
    unique (tenant_id, name)
);

create table dataset_version (
    id                uuid          primary key,
    tenant_id         varchar(40)   not null references tenant(id) on delete cascade,
    dataset_id        uuid          not null references dataset(id) on delete cascade,
    version           integer       not null check (version > 0),
    sha256            varchar(64)   not null,
    blob_key          varchar(1000) not null,
    quarantine_key    varchar(1000),
    row_count         bigint        not null,
    quarantined_rows  bigint        not null,
    source_format     varchar(20)   not null,
    source_sha256     varchar(64)   not null,
    source_bytes      bigint        not null,
    schema_json       text          not null,
    profile_json      text          not null,
    validation_json   text          not null,
    created_at        timestamptz   not null,
    unique (dataset_id, version)
);
create index dataset_version_sha on dataset_version(tenant_id, dataset_id, sha256);

-- Stripe-style idempotency keys for uploads: the first request with a key claims it ('pending'); the
-- version it created is recorded when it commits. A failed upload releases its claim.
create table dataset_idempotency (
    id              uuid          primary key,
    tenant_id       varchar(40)   not null references tenant(id) on delete cascade,
    idempotency_key varchar(200)  not null,
    dataset_name    varchar(100)  not null,
    request_sha256  varchar(64)   not null,
    version_id      uuid          references dataset_version(id) on delete cascade,
    created_at      timestamptz   not null,
    unique (tenant_id, idempotency_key)
);
