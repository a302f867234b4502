-- An upload whose validated rows, schema and quarantine are the dataset's latest version's makes no version
-- (DatasetService.upload): its Idempotency-Key then refers to that latest version, and a repeat of the request
-- must answer as the first did, "unchanged", not as if the key had created it.
alter table dataset_idempotency add column unchanged boolean not null default false;
