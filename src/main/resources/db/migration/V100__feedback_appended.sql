-- Which dataset version a labelled prediction was appended to (issue 12: a rule's retrain with
-- includeFeedback). Set in the transaction that commits that version, so a record is appended at most once
-- however often a retrain is triggered for the same windows; null while it has not been appended.
alter table prediction_feedback add column appended_dataset varchar(100);
alter table prediction_feedback add column appended_version integer;
create index prediction_feedback_unappended on prediction_feedback(tenant_id, model) where appended_version is null;
