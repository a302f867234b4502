-- Index builds (issue 13) move onto the run ledger, like trainings in V40: a build is a run of kind INDEX_BUILD
-- (its lifecycle: state, attempts, progress, times, a safe error) plus its recommender_build row of the same id
-- (what it is about and what it produced). The run's subject is the recommender's name; `exclusive` keeps at
-- most one queued or running build per recommender (the ledger's run_one_active index).

insert into run (id, tenant_id, kind, subject, exclusive, state, attempts, progress, created_at, started_at,
                 finished_at, error_code, error_message)
select id, tenant_id, 'INDEX_BUILD', recommender, true,
       case status when 'rejected' then 'SUCCEEDED' else upper(status) end,
       attempts, progress, created_at, started_at, finished_at,
       case status when 'skipped' then 'no-new-data' when 'failed' then 'failed' end,
       -- skipped reasons were written for the tenant; old failure messages may hold exception text
       case status when 'skipped' then left(error, 1000)
                   when 'failed' then 'the index build failed' end
from recommender_build;

-- A build whose node died before it was recorded anywhere else: redo it through the ledger.
update run set state = 'QUEUED' where kind = 'INDEX_BUILD' and state = 'RUNNING';

-- Whether the gate made the build's generation current (a succeeded run's outcome: 'succeeded' or 'rejected').
alter table recommender_build add column accepted boolean;
update recommender_build set accepted = (status = 'succeeded') where status in ('succeeded', 'rejected');
alter table recommender_build add constraint recommender_build_run foreign key (id) references run(id)
    on delete cascade;
drop index recommender_build_one_active;
alter table recommender_build drop column status, drop column progress, drop column attempts,
    drop column started_at, drop column finished_at, drop column error;

-- A tenant manifest can start a recommender's first build.
alter table recommender_build drop constraint recommender_build_trigger_check;
alter table recommender_build add constraint recommender_build_trigger_check
    check (trigger in ('api', 'schedule', 'manifest'));

-- Builds no longer travel as Quartz triggers: queued builds are in `run`, taken by the ledger's dispatcher.
-- The per-recommender jobs stay, for their cron schedules only.
delete from qrtz_simple_triggers where trigger_name like 'build.%';
delete from qrtz_triggers where trigger_name like 'build.%';
