-- The application's own database role (issue: roles). Migrations run as the role that owns the schema
-- (tenantml.database.migration-user, postgres by default); the application connects as ${app_role}
-- (quarkus.datasource.username), which owns nothing, is no superuser and cannot create roles, databases or
-- tables. Roles are cluster-wide: another database of the same cluster may have created it already.
-- Its password, when configured, is set by the platform after each migrate (shared.database.MigrationConnection),
-- never written here.

do $$
declare
    app   text := '${app_role}';
    owner text := current_user;
    r     pg_roles%rowtype;
begin
    if app = owner then
        raise exception 'the application role must not be the migration role (%)', owner;
    end if;
    select * into r from pg_roles where rolname = app;
    if not found then
        begin
            execute format('create role %I login nosuperuser nocreatedb nocreaterole noreplication nobypassrls', app);
        exception when duplicate_object or unique_violation then
            null; -- created at the same moment by a migration of another database of this cluster
        end;
    elsif r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolreplication or r.rolbypassrls then
        -- an existing role with powers would make every grant below meaningless: refuse, never downgrade
        -- someone else's role behind their back
        raise exception 'database role % exists with superuser, createrole, createdb, replication or bypassrls: '
            'the application role must have none of them', app;
    end if;

    execute format('grant connect on database %I to %I', current_database(), app);
    execute format('grant usage on schema public to %I', app);
    execute format('grant select, insert, update, delete on all tables in schema public to %I', app);
    execute format('grant usage, select, update on all sequences in schema public to %I', app);
    execute format('grant execute on all functions in schema public to %I', app);
    -- what later migrations create (as this owner) is covered as well
    execute format('alter default privileges for role %I in schema public '
        'grant select, insert, update, delete on tables to %I', owner, app);
    execute format('alter default privileges for role %I in schema public '
        'grant usage, select, update on sequences to %I', owner, app);
    execute format('alter default privileges for role %I in schema public '
        'grant execute on functions to %I', owner, app);

    -- The audit trail is append-only by privilege now, before its trigger is even reached. Offboarding's
    -- cascade from tenant still deletes a tenant's entries: PostgreSQL runs a foreign key's cascade as the
    -- owner of the referencing table, not as the role that deleted the tenant.
    execute format('revoke update, delete, truncate on audit_entry from %I', app);
    -- The migration history is the owner's.
    execute format('revoke insert, update, delete, truncate on flyway_schema_history from %I', app);
end
$$;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15's default; explicit for older clusters).
revoke create on schema public from public;

-- Partitions of prediction_log are created and dropped at run time (monitoring.internal.LogPartitions), which
-- only the owner may do. These two functions do it as the owner for the application: names and bounds are
-- built here from typed arguments, nothing the caller sends becomes SQL text, and the drop refuses a day that
-- has not yet passed its class's retention. One advisory lock serialises them across nodes.

-- The names of a retention class's partition and of one UTC day's partition in it, from their numbers checked
-- here once for both functions below.
create function prediction_log_partition_names(retention_class integer, epoch_day integer,
                                               out parent text, out child text)
    language plpgsql immutable set search_path = pg_catalog, pg_temp as $$
begin
    if retention_class is null or retention_class < 1 or retention_class > 36500 then
        raise exception 'retention class must be 1 to 36500 days, got %', retention_class
            using errcode = 'invalid_parameter_value';
    end if;
    -- 0001-01-01 .. 9999-12-31 as days since 1970-01-01: what the name's yyyymmdd can say
    if epoch_day is null or epoch_day < -719162 or epoch_day > 2932896 then
        raise exception 'epoch day out of range: %', epoch_day using errcode = 'invalid_parameter_value';
    end if;
    parent := 'prediction_log_r' || retention_class;
    child := parent || '_d' || to_char(date '1970-01-01' + epoch_day, 'YYYYMMDD');
end
$$;

create function prediction_log_ensure_partition(retention_class integer, epoch_day integer) returns text
    language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
    parent text;
    child  text;
begin
    select n.parent, n.child into parent, child from public.prediction_log_partition_names(retention_class, epoch_day) n;
    perform pg_advisory_xact_lock(8102650161583318785);
    execute format('create table if not exists public.%I partition of public.prediction_log for values in (%s) '
        'partition by range (predicted_at)', parent, retention_class);
    execute format('create table if not exists public.%I partition of public.%I for values from (%s) to (%s)',
        child, parent, epoch_day::bigint * 86400000, (epoch_day::bigint + 1) * 86400000);
    return child;
end
$$;

create function prediction_log_drop_partition(retention_class integer, epoch_day integer) returns boolean
    language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
    parent text;
    child  text;
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
    execute format('drop table public.%I', child);
    return true;
end
$$;

revoke execute on function prediction_log_ensure_partition(integer, integer) from public;
revoke execute on function prediction_log_drop_partition(integer, integer) from public;
do $$
begin
    execute format('grant execute on function prediction_log_ensure_partition(integer, integer) to %I',
        '${app_role}');
    execute format('grant execute on function prediction_log_drop_partition(integer, integer) to %I',
        '${app_role}');
end
$$;
