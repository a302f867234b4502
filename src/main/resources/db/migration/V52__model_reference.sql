-- A model version's reference profile (monitoring's baseline): what it was trained on, in feature space,
-- and how it did on its validation rows. Written once at training, never updated.
create table model_reference (
    tenant_id        varchar(40)   not null references tenant(id) on delete cascade,
    model            varchar(100)  not null,
    version          integer       not null,
    validation_rows  bigint        not null,
    -- metric name -> {value, lower, upper, confidence, resamples}
    metrics          jsonb         not null,
    provenance       jsonb         not null,
    created_at       timestamptz   not null,
    primary key (tenant_id, model, version)
);

-- The sketches, one row each: a feature of the training rows, an output or the labels of the validation
-- rows. Bytes in the statistics package's formats (DataSketches KLL, frequent items).
create table model_reference_sketch (
    tenant_id     varchar(40)   not null,
    model         varchar(100)  not null,
    version       integer       not null,
    role          varchar(20)   not null check (role in ('feature', 'output', 'label')),
    position      integer       not null,
    name          varchar(300)  not null,
    column_name   varchar(300),
    kind          varchar(20)   not null check (kind in ('numeric', 'categorical')),
    rows          bigint        not null,
    missing       bigint        not null,
    sketch        bytea         not null,
    primary key (tenant_id, model, version, role, position),
    foreign key (tenant_id, model, version) references model_reference on delete cascade
);
