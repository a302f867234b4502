-- Serving: what every online prediction was (written asynchronously, in batches) and the labels that
-- came back for it. Monitoring reads both to follow drift and realised performance.

create table prediction_log (
    id            uuid          primary key,
    tenant_id     varchar(40)   not null references tenant(id) on delete cascade,
    model         varchar(100)  not null,
    version       integer       not null,
    predicted_at  timestamptz   not null,
    -- Transformed features by feature name (null = missing), as the model saw them.
    features      jsonb         not null,
    -- score, label, probabilities as returned to the caller.
    output        jsonb         not null
);
create index prediction_log_model_time on prediction_log(tenant_id, model, predicted_at);

-- One row per prediction: feedback is idempotent, the last label wins (upsert on prediction_id).
create table prediction_feedback (
    prediction_id  uuid              primary key,
    tenant_id      varchar(40)       not null references tenant(id) on delete cascade,
    model          varchar(100)      not null,
    label          varchar(200),
    value          double precision,
    observed_at    timestamptz       not null,
    received_at    timestamptz       not null,
    check ((label is null) <> (value is null))
);
create index prediction_feedback_model on prediction_feedback(tenant_id, model, observed_at);
