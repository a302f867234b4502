-- Every list is paged by keyset on a unique sort key (shared.PageRequest); these two lists sort by a time that
-- can tie, so the id breaks ties and the index covers the whole key. Each replaces the index it extends.
create index api_key_page on api_key(tenant_id, created_at, id);
drop index api_key_tenant;

create index model_alias_event_page on model_alias_event(tenant_id, model, at, id);
drop index model_alias_event_by_model;
