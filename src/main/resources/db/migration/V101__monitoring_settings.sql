-- Per model monitoring settings (issue 11, "every threshold is configurable per model"): the drift rule's
-- thresholds as the tenant set them, validated by monitoring.MonitoringSettings. A model without a row is judged
-- with DriftRuleSettings.defaults(). Keys a later release adds take their defaults when an older row is read.
create table monitoring_settings (
    tenant_id  varchar(40) not null references tenant(id) on delete cascade,
    model      varchar(100) not null,
    drift      jsonb not null,
    updated_at timestamptz not null,
    primary key (tenant_id, model)
);
