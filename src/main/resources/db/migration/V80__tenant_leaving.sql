-- Offboarding is two steps (issue 15): the tenant is first marked leaving (its requests answer 404 or
-- 401, its jobs refuse to start and running trainings are asked to stop), then its rows and files go.
-- Without the mark, a training, batch or model load still running could write files after the tenant's
-- blobs were deleted, or put a model into a cache after the eviction.
alter table tenant add column status varchar(20) not null default 'active'
    check (status in ('active', 'leaving'));
