-- A classifier version's validation rows row by row: each row's label beside the model's outputs for it
-- (ReferenceProfile.ValidationSample). The profile's sketches keep the score and the label distributions
-- apart, which is not enough to calibrate scores against labels, as performance estimation without labels
-- (CBPE) does. At most 100,000 rows (a seeded sample beyond). Packed (float32, big endian): per row the label,
-- then `width` outputs. Written once at training with the rest of the profile, never updated; versions
-- trained before it have no row, and no estimate.
create table model_reference_validation_sample (
    tenant_id     varchar(40)   not null references tenant(id) on delete cascade,
    model         varchar(100)  not null,
    version       integer       not null,
    rows          integer       not null check (rows >= 0),
    width         integer       not null check (width > 0),
    data          bytea         not null,
    primary key (tenant_id, model, version),
    foreign key (tenant_id, model, version) references model_reference on delete cascade
);
