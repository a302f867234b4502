-- The training-time checks on the training rows (likely leakage): kept on the training and on the model
-- version it produced, so that a version's owner sees them wherever they look. Null for older rows.
alter table training add column warnings jsonb;
alter table model_version add column warnings jsonb;
