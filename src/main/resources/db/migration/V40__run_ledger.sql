-- The run ledger: one lifecycle (state, attempts, progress, times, error) for every kind of background run.
-- Features keep what is theirs (a training's metrics, a batch's results) in their own table, whose id is
-- the run's id. `kind` has no check constraint on purpose: a new kind (index builds, monitoring windows)
-- is a constant of io.tenantml.scheduling.RunKind and a RunHandler, never a schema change.

create table run (
    id               uuid          primary key,
    tenant_id        varchar(40)   not null references tenant(id) on delete cascade,
    kind             varchar(40)   not null,
    -- What the run is about within its kind (a model name); with `exclusive`, at most one active run per subject.
    subject          varchar(200)  not null,
    exclusive        boolean       not null default false,
    state            varchar(20)   not null
        check (state in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED')),
    attempts         integer       not null default 0,
    progress         double precision not null default 0,
    cancel_requested boolean       not null default false,
    -- The node running it and when that node last said so; a stale heartbeat means the node died.
    node             varchar(100),
    heartbeat_at     timestamptz,
    created_at       timestamptz   not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    -- A stable code and a message safe to show the tenant; raw exception text only ever goes to the log,
    -- under the incident id that the message names.
    error_code       varchar(60),
    error_message    varchar(1000),
    incident         varchar(40)
);
-- Queued work of a kind, oldest first (the dispatcher's scan); running work per tenant (fair order, slots).
create index run_queued on run(kind, created_at) where state = 'QUEUED';
create index run_running on run(kind, tenant_id) where state = 'RUNNING';
create index run_served on run(tenant_id, kind, started_at);
create index run_by_subject on run(tenant_id, kind, subject, created_at);
create unique index run_one_active on run(tenant_id, kind, subject) where exclusive and state in ('QUEUED', 'RUNNING');

-- Existing trainings and batch predictions become runs of the same id.
insert into run (id, tenant_id, kind, subject, exclusive, state, attempts, progress, cancel_requested,
                 created_at, started_at, finished_at, error_code, error_message)
select id, tenant_id, 'TRAINING', model, true,
       case status when 'rejected' then 'SUCCEEDED' else upper(status) end,
       attempts, progress, cancel_requested, created_at, started_at, finished_at,
       case when error is null then null when status = 'skipped' then 'skipped'
            when status = 'cancelled' then 'cancelled' else 'failed' end,
       left(error, 1000)
from training;
insert into run (id, tenant_id, kind, subject, exclusive, state, attempts, progress, created_at, started_at,
                 finished_at, error_code, error_message)
select id, tenant_id, 'BATCH_PREDICTION', model, false, upper(status),
       case when status = 'queued' then 0 else 1 end,
       case when rows_total = 0 then 0 else least(1.0, rows_done::double precision / rows_total) end,
       created_at, started_at, finished_at,
       case when error is null then null else 'failed' end,
       -- old messages may hold driver text; they are not shown again
       case when error is null then null else 'the batch prediction failed' end
from batch_prediction;

-- A run's node died before it was recorded as running anywhere: redo it through the ledger.
update run set state = 'QUEUED' where state = 'RUNNING';

-- Whether the gate accepted the trained version (a succeeded run's outcome: 'succeeded' or 'rejected').
alter table training add column accepted boolean;
update training set accepted = (status = 'succeeded') where status in ('succeeded', 'rejected');
alter table training add constraint training_run foreign key (id) references run(id) on delete cascade;
drop index training_one_active;
alter table training drop column status, drop column progress, drop column attempts,
    drop column cancel_requested, drop column started_at, drop column finished_at, drop column error;

-- When the batch's results were complete (CSV written, lookup rows in place): precomputed lookups read the batch
-- of a model with the latest results_at, and a batch that completes deletes the lookup rows of the others.
alter table batch_prediction add column results_at timestamptz;
update batch_prediction set results_at = finished_at where status = 'succeeded';
alter table batch_prediction add constraint batch_prediction_run foreign key (id) references run(id) on delete cascade;
drop index batch_prediction_model;
create index batch_prediction_model on batch_prediction(tenant_id, model, created_at);
create index batch_prediction_results on batch_prediction(tenant_id, model, results_at) where results_at is not null;
alter table batch_prediction drop column status, drop column started_at, drop column finished_at,
    drop column error;

-- Runs no longer travel as Quartz triggers: queued work is in `run`, taken by the ledger's dispatcher.
delete from qrtz_simple_triggers where trigger_name like 'training.%' or trigger_name like 'batch-%';
delete from qrtz_triggers where trigger_name like 'training.%' or trigger_name like 'batch-%';
delete from qrtz_job_details where job_name = 'batch-predictions';
