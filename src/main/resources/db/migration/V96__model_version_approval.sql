-- Approvals (issue 12): a person accepts a version its gate rejected, so that an alias may point at it.
-- Null while the version has no approval; a revoked approval is null again (the audit trail keeps both).
alter table model_version add column approved_by varchar(200);
alter table model_version add column approved_at timestamptz;
alter table model_version add column approval_reason varchar(400);
