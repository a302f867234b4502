-- Tenants, and the credentials that bind callers to them.
-- Invariant (checked by TenantDeletionResourceTest): every table with a tenant_id column references
-- tenant(id) ON DELETE CASCADE, so deleting the tenant row deletes every row the tenant owns.

create table tenant (
    id          varchar(40)  primary key check (id ~ '^[a-z][a-z0-9-]{1,39}$'),
    name        varchar(200) not null,
    source      varchar(20)  not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null
);

create table api_key (
    id            uuid         primary key,
    tenant_id     varchar(40)  not null references tenant(id) on delete cascade,
    name          varchar(100) not null,
    role          varchar(20)  not null check (role in ('admin', 'integration')),
    prefix        varchar(16)  not null,
    key_hash      bytea        not null unique,
    created_at    timestamptz  not null,
    created_by    varchar(200) not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index api_key_tenant on api_key(tenant_id, created_at);

-- Operator keys belong to no tenant.
create table operator_key (
    id          uuid         primary key,
    name        varchar(100) not null,
    prefix      varchar(16)  not null,
    key_hash    bytea        not null unique,
    created_at  timestamptz  not null,
    revoked_at  timestamptz
);
