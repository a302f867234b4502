-- When the api_key.expiring event of a key with an end was published: once per key, so the hourly job that
-- warns of keys ending soon never warns twice, on any node. Null: not warned (yet, or ever for a key without an end).
alter table api_key add column expiry_warned_at timestamptz;
-- What the job looks for: live keys with an end and no warning yet, a handful among all keys.
create index api_key_expiry_unwarned on api_key (expires_at)
    where expires_at is not null and revoked_at is null and expiry_warned_at is null;
