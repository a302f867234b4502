-- An API key may be issued with an end: past expires_at it is refused like a revoked key (ApiKeyVerifier).
-- Null is a key without an end, as every key issued before this column.
alter table api_key add column expires_at timestamptz;
alter table api_key add constraint api_key_expires_after_creation check (expires_at is null or expires_at > created_at);
