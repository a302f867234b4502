-- GET /tenants/{t}/events (io.tenantml.events.EventFeed): a tenant's events newest first, keyset-paged on
-- (created_at, id), the id breaking ties of events at one instant. This index serves the order and the keyset
-- predicate "(created_at, id) < (cursor)" of one tenant without a sort, for the first page as for a deep one.
-- It replaces tenant_event_tenant (tenant_id, created_at), of which it is an extension: every query that one
-- served (by tenant, by tenant and time, the cascade of a tenant's delete) this one serves too.
create index tenant_event_feed on tenant_event (tenant_id, created_at desc, id desc);
drop index tenant_event_tenant;
