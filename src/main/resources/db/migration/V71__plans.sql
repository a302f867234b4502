-- A tenant's plan: named limits (io.tenantml.usage.PlanLimits); a limit absent here takes the platform default
-- (tenantml.usage.defaults.*). Set by operators (API or tenants/*.yaml), read by the tenant's admins.
create table tenant_plan (
    tenant_id   varchar(40)  primary key references tenant(id) on delete cascade,
    limits      jsonb        not null,
    updated_at  timestamptz  not null,
    updated_by  varchar(200) not null
);
