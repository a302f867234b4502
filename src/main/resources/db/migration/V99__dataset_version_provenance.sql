-- Lineage of versions the platform makes by appending records to an earlier version (issue 12: a rule's
-- retrain with includeFeedback appends labelled production records); null on uploaded versions.
alter table dataset_version add column provenance jsonb;
