-- Batch predictions: a Quartz job scores a whole dataset version in chunks; the results are a CSV blob,
-- and the rows of the latest finished batch of a model are kept for lookup by key (precomputed serving).

create table batch_prediction (
    id               uuid          primary key,
    tenant_id        varchar(40)   not null references tenant(id) on delete cascade,
    model            varchar(100)  not null,
    version          integer       not null,
    dataset          varchar(100)  not null,
    dataset_version  integer       not null,
    dataset_sha256   varchar(64)   not null,
    -- The dataset's primary-key column, or null when rows are keyed by their line number.
    key_column       varchar(200),
    status           varchar(20)   not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    rows_total       bigint        not null,
    rows_done        bigint        not null default 0,
    created_at       timestamptz   not null,
    created_by       varchar(200)  not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    results_key      varchar(1000),
    results_sha256   varchar(64),
    error            text
);
create index batch_prediction_model on batch_prediction(tenant_id, model, status, finished_at);

-- Only the latest finished batch of each model keeps its rows (older ones are deleted when a newer
-- batch finishes); the CSV blob stays the full record of every batch.
create table batch_prediction_row (
    batch_id       uuid              not null references batch_prediction(id) on delete cascade,
    tenant_id      varchar(40)       not null references tenant(id) on delete cascade,
    row_key        varchar(400)      not null,
    score          double precision  not null,
    label          varchar(200),
    probabilities  jsonb,
    primary key (batch_id, row_key)
);
