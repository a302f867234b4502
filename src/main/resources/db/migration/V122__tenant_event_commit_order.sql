-- The feed read oldest first, for clients that poll it instead of receiving webhooks, must never skip an event:
-- ids and created_at are taken at insert, before commit, so an event can become visible after a later one was
-- read. Each event keeps the id of the transaction that wrote it; the oldest-first feed serves only events of
-- transactions older than every one still running (pg_snapshot_xmin), in (tx, id) order, so no event can appear
-- behind a position a client has read. Events before this migration share its transaction.
alter table tenant_event add column tx xid8 not null default pg_current_xact_id();
create index tenant_event_commit_order on tenant_event (tenant_id, tx, id);
