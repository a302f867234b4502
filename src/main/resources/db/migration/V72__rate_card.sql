-- The operators' rate card (io.tenantml.usage.RateCards): versioned prices per meter, each version in force from
-- its effective UTC day until the next version's. Versions are immutable once written (a PUT of the same content
-- is a no-op, a different one a 409) and never deleted, so every cost report can be recomputed and audited:
-- who wrote which prices when is in created_by/created_at. Platform configuration, owned by no tenant.
create table rate_card (
    version         varchar(40)   primary key,
    effective_from  date          not null unique,
    currency        varchar(3)    not null,
    note            text,
    created_at      timestamptz   not null,
    created_by      varchar(200)  not null
);

-- Price of one billing unit of a meter (io.tenantml.usage.Meter#billingUnit: records, cpu-seconds, GB-days, ...).
-- A meter absent from a version costs nothing under it.
create table rate_card_price (
    version     varchar(40)     not null references rate_card(version),
    meter       varchar(64)     not null,
    unit_price  numeric(24, 12) not null check (unit_price >= 0),
    primary key (version, meter)
);
