-- Feedback labels go with the prediction they answer: dropping a day's partition of the log now first deletes the
-- feedback of that partition's predictions, in the same transaction. Before, a label outlived its prediction for
-- good: unusable (realised performance and the closed loop join it to the log) and kept past the retention the
-- tenant chose. Prediction ids are time-ordered (version 7 UUIDs, compared byte-wise, so in time order): the
-- feedback is found by a range of its primary key around the day (a day of slack each side for clocks), and only
-- the ids the partition holds are deleted.
create or replace function prediction_log_drop_partition(retention_class integer, epoch_day integer) returns boolean
    language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
    parent text;
    child  text;
    low    text;
    high   text;
begin
    select n.parent, n.child into parent, child from public.prediction_log_partition_names(retention_class, epoch_day) n;
    -- kept between class and class + 1 days (LogPartitions.expired): a day still inside is never dropped
    if epoch_day + 1 + retention_class > floor(extract(epoch from now()) / 86400) then
        return false;
    end if;
    perform pg_advisory_xact_lock(8102650161583318785);
    -- only a daily partition of prediction_log's class partition, never a table that merely has the name
    if not exists (select 1 from pg_inherits day_of
                   join pg_class c on c.oid = day_of.inhrelid
                   join pg_class p on p.oid = day_of.inhparent
                   join pg_inherits class_of on class_of.inhrelid = p.oid
                   where c.relname = child and c.relnamespace = 'public'::regnamespace
                     and p.relname = parent and class_of.inhparent = 'public.prediction_log'::regclass) then
        return false;
    end if;
    -- the first 48 bits of a version 7 UUID are its Unix milliseconds
    low := lpad(to_hex(greatest(0, (epoch_day::bigint - 1) * 86400000)), 12, '0');
    high := lpad(to_hex((epoch_day::bigint + 2) * 86400000), 12, '0');
    execute format('delete from public.prediction_feedback f where f.prediction_id >= %L::uuid'
        ' and f.prediction_id < %L::uuid and f.prediction_id in (select l.id from public.%I l)',
        substr(low, 1, 8) || '-' || substr(low, 9, 4) || '-0000-0000-000000000000',
        substr(high, 1, 8) || '-' || substr(high, 9, 4) || '-0000-0000-000000000000',
        child);
    execute format('drop table public.%I', child);
    return true;
end
$$;
