-- The audit trail (issue 12): one append-only hash chain per tenant, plus the platform's own chain
-- (tenant_id null: onboarding and offboarding, which must outlive the tenant they name).

create table audit_entry (
    id          bigserial     primary key,
    -- null for the platform chain; otherwise the tenant whose chain this is (cascade at offboarding only)
    tenant_id   varchar(40)   references tenant(id) on delete cascade,
    -- the chain: the tenant id, or '_platform' (never a tenant id: those start with a letter)
    chain       varchar(40)   not null,
    seq         bigint        not null,
    at          timestamptz   not null,
    actor_kind  varchar(20)   not null,
    actor       varchar(200)  not null,
    role        varchar(20)   not null,
    request_id  varchar(100)  not null,
    action      varchar(200)  not null,
    target      varchar(400)  not null,
    summary     jsonb         not null,
    prev_hash   varchar(64)   not null,
    hash        varchar(64)   not null,
    unique (chain, seq),
    check ((tenant_id is null and chain = '_platform') or chain = tenant_id)
);
create index audit_entry_by_chain_id on audit_entry(chain, id);
create index audit_entry_by_chain_action on audit_entry(chain, action, id);

-- Append-only, also for the application's role (it connects as a superuser, so privileges cannot say
-- it): UPDATE, DELETE and TRUNCATE raise. The one exception is narrow: a DELETE of a row whose tenant
-- no longer exists, which is what the cascade of offboarding's "delete from tenant" does (the tenant row
-- is already gone when the cascade reaches this table); a tenant that exists cannot lose an entry.
create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if old.tenant_id is not null and not exists (select 1 from tenant where id = old.tenant_id) then
            return old;
        end if;
    end if;
    raise exception 'audit entries are append-only: % of audit_entry refused', tg_op
        using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_entry_no_update_or_delete before update or delete on audit_entry
    for each row execute function audit_entry_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_append_only();
