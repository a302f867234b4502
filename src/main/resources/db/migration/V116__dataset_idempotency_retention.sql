-- io.tenantml.dataset.internal.IdempotencyKeyRetention forgets keys by age every hour: found by this index, not by
-- reading every key ever sent.
create index dataset_idempotency_created on dataset_idempotency (created_at);
